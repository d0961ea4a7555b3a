"""memscope's post-processing: the log reader and the commands built on it.

Data flows one way: logreader (the only code that opens a log) yields typed
records; aggregate makes one pass over them; the outputs and the
decoder consume its result.
"""

__version__ = "0.1.0"
