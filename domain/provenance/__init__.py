"""The public face of a batch: its unguessable code and what a consumer who scans it may see."""
