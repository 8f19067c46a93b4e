"""Diagnoses and complaints a note states, and the ICD-10-CM codes they take.

``lexicons/diagnoses.yaml`` holds the words and codes; ``icd`` reads the ICD-10-CM data package;
``finder`` and ``assertion`` are the ``scribe_diagnoses`` pipeline component (``component``);
``resolve`` turns what it found into the note's diagnoses.
"""
