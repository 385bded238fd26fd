"""What pyproject.toml cannot say: the top-level migrations/ folder (Alembic's environment and versions)
ships inside the package as worker.migrations, so an installed newsarchive (a wheel, pip install ., pipx)
migrates from any folder; worker/store/migrate.py finds it there, or in the source tree."""

from setuptools import find_namespace_packages, setup

setup(
    # namespace packages too: worker/web/templates and static are folders of data without __init__.py
    packages=find_namespace_packages(include=["worker*"], exclude=["*.__pycache__"])
    + ["worker.migrations", "worker.migrations.versions"],
    package_dir={"worker.migrations": "migrations", "worker.migrations.versions": "migrations/versions"},
    package_data={"worker.migrations": ["script.py.mako"], "worker.web.templates": ["*.html"],
                  "worker.web.static": ["*"]},
)
