"""One module per subcommand; each has ``run(args, settings) -> exit code``."""
