"""One module per file memscope-report writes.  Each has SCHEMA_VERSION and
a pure build(report) function: from the aggregated run to the file's
content (a JSON-ready dict, or an lxml tree for HTML and SVG)."""
