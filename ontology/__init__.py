"""evkg's vocabularies (ontology, CAMEO scheme, gazetteers, shapes) as package data.

The Turtle files of this folder are installed with evkg, so the code finds them with
`importlib.resources.files("ontology")` in a wheel as in a checkout (see
`ingest/resources.py`).
"""
