"""One module per file memscope-report writes.  Each report module has
SCHEMA_VERSION and a pure build(report) function: from the aggregated run
to the file's content (a JSON-ready dict, or an lxml tree for HTML and
SVG).  The comparison of two runs (--compare) has its own: compare.py
builds the document, compare_text renders it for the terminal and
compare_html as a page."""
