"""Extraction: a spaCy pipeline (sections, skills, cues) plus pure rules for levels, families, specializations."""
