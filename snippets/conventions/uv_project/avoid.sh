# Dependencies outside pyproject.toml and uv.lock: a second list that drifts, and installs that
# land in whichever Python `pip` belongs to.
pip install -r requirements.txt
pip install fastapi
poetry add sqlalchemy
