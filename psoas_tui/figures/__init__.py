"""Pictures drawn with text: the big countdown digits and the pose figures.

Pure functions from values to lists of text lines; nothing here imports Textual or writes to
a terminal, so the run screen, the choose screen, ``show`` and plain mode all draw the same.
"""
