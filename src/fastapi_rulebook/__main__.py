from fastapi_rulebook.cli import main

main()
