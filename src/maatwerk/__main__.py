from maatwerk.cli import main

main()
