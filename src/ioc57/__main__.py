from ioc57.cli import main

main()
