"""The Textual UI. Imported lazily by the CLI so script commands start fast."""
