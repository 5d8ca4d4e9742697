"""The pure data layer: parsing, models, search, store and export. Never imports Textual."""
