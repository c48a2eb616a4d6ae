from curabib.cli import main

main()
