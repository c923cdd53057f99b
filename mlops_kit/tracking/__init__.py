"""Step 1: versioning and experiment tracking on MLflow."""
from mlops_kit.tracking.store import (
    artifact_root,
    ensure_experiment,
    get_client,
    resolve_tracking_uri,
    use_store,
)

__all__ = ["artifact_root", "ensure_experiment", "get_client", "resolve_tracking_uri", "use_store"]
