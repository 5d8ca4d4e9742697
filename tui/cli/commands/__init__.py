"""One module per command. Each defines ``NAME``, ``HELP``, ``ORDER``, ``configure(parser)``
and ``run(args) -> int``; :func:`tui.cli.parser.discover` finds them."""
