"""Corpus input and output: records in, one result per record out, in order."""
