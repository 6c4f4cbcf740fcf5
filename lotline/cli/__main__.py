"""``python -m lotline.cli``: the ``lotline`` command, for a shell without the console script."""

from lotline.cli import main

main()
