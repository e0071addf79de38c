"""Announcement building blocks for the lobby display: phrase text, chime and cached speech.

Kept free of Flask so the display blueprint, the CLI and tests can share it. Import from
the submodules (terbilang, phrase, chime, speech); nothing is re-exported here, so
`python -m queue_display.announce.chime` does not import its own module twice.
"""
