"""Sub-commands of the ``mlops-kit`` CLI, one module each (imported lazily)."""
