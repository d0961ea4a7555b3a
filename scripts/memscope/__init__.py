"""memscope's post-processing: the log reader and the commands built on it.

Data flows one way: logreader (the only code that opens a log) yields typed
records; summary and the outputs consume them.
"""

__version__ = "0.1.0"
