"""Pydantic models only: lexicon files, the structured note, encounter context and coding."""
