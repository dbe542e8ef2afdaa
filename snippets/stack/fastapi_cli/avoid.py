"""A hand-rolled launcher, `python -m <this module>`: uvicorn.run() on the app object."""

import uvicorn

from app.main import app

if __name__ == "__main__":
    uvicorn.run(app, host="0.0.0.0", port=8000, reload=True)  # expect: RB103
