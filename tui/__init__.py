"""The Textual app and the command line of mpib (never imports botocore or aiohttp)."""
