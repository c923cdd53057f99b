"""Export a canary rollout as KServe ``InferenceService`` manifests, one per stage.

KServe (``serving.kserve.io/v1beta1``) runs a canary by updating the
predictor of one InferenceService: the new ``storageUri`` receives
``canaryTrafficPercent`` of the traffic and the last revision that had 100%
keeps the rest; removing the field promotes the new revision, and setting it to
0 rolls back. :func:`kserve_manifests` writes that sequence for a
:class:`~mlops_kit.deploy.canary.CanaryRollout`: the champion as it runs now,
one manifest per stage of the schedule (the last one, at 100%, without the
field), and the rollback manifest. The model format is ``mlflow`` (KServe
serves it with its MLServer runtime, open inference protocol ``v2``) and the
``storageUri`` is the registry's download URI of each model version (an
``s3://``/``gs://`` location on a team's store; a local ``file://`` path on the
sample store). :func:`to_yaml` dumps them as one multi-document YAML file for
``kubectl apply -f``.

Examples
--------
>>> m = manifest("credit-risk", "s3://models/credit/3", canary_percent=25, labels={"stage": "2"})
>>> m["spec"]["predictor"]["canaryTrafficPercent"], m["spec"]["predictor"]["model"]["modelFormat"]
(25, {'name': 'mlflow'})
>>> print(to_yaml([m]).splitlines()[0])
apiVersion: serving.kserve.io/v1beta1
"""

from __future__ import annotations

import re

from mlops_kit._params import Interval, Predicate, check_param

__all__ = ["API_VERSION", "KIND", "kserve_manifests", "manifest", "service_name", "to_yaml"]

API_VERSION = "serving.kserve.io/v1beta1"
KIND = "InferenceService"
_DNS = re.compile(r"^[a-z]([-a-z0-9]{0,43}[a-z0-9])?$")
_DNS_TEXT = (
    "a DNS-1035 label: lowercase letters, digits and '-', starting with a letter, <= 45 chars"
)


def service_name(model_name: str) -> str:
    """A valid InferenceService name derived from a registered model name.

    Examples
    --------
    >>> service_name("Credit_Risk v2")
    'credit-risk-v2'
    """
    name = re.sub(r"[^a-z0-9]+", "-", model_name.lower()).strip("-")
    if not name or not name[0].isalpha():
        name = f"m-{name}".strip("-")
    return name[:45].rstrip("-")


def manifest(
    name: str,
    storage_uri: str,
    *,
    canary_percent: int | None = None,
    namespace: str = "default",
    runtime: str | None = None,
    labels: dict | None = None,
    annotations: dict | None = None,
) -> dict:
    """One ``InferenceService`` manifest (a plain dict) for an MLflow model.

    Parameters
    ----------
    name : str
        The InferenceService name (a DNS-1035 label).
    storage_uri : str
        Where the model's files are (``s3://``, ``gs://``, ``pvc://``, ...).
    canary_percent : int, optional
        ``spec.predictor.canaryTrafficPercent`` (0-100); None leaves it out.
    namespace : str, default "default"
    runtime : str, optional
        A ServingRuntime name (for example ``kserve-mlserver``); default: KServe picks one.
    labels, annotations : dict, optional
        Metadata.

    Examples
    --------
    >>> sorted(manifest("credit", "s3://b/m")["spec"]["predictor"]["model"])
    ['modelFormat', 'protocolVersion', 'storageUri']
    """
    check_param(
        "name", name, [Predicate(lambda v: isinstance(v, str) and _DNS.match(v), _DNS_TEXT)]
    )
    check_param("namespace", namespace, [Predicate(lambda v: bool(_DNS.match(v)), _DNS_TEXT)])
    check_param(
        "storage_uri",
        storage_uri,
        [Predicate(lambda v: isinstance(v, str) and "://" in v, "a URI")],
    )
    check_param("canary_percent", canary_percent, [None, Interval(int, 0, 100)])
    model = {"modelFormat": {"name": "mlflow"}, "protocolVersion": "v2", "storageUri": storage_uri}
    if runtime is not None:
        model["runtime"] = runtime
    predictor: dict = {"model": model}
    if canary_percent is not None:
        predictor["canaryTrafficPercent"] = canary_percent
    metadata: dict = {"name": name, "namespace": namespace}
    if labels:
        metadata["labels"] = {str(k): str(v) for k, v in labels.items()}
    if annotations:
        metadata["annotations"] = {str(k): str(v) for k, v in annotations.items()}
    return {
        "apiVersion": API_VERSION,
        "kind": KIND,
        "metadata": metadata,
        "spec": {"predictor": predictor},
    }


def kserve_manifests(
    rollout, *, name: str | None = None, namespace: str = "default", runtime: str | None = None
) -> list[dict]:
    """The rollout as KServe manifests: current champion, each stage, then the rollback.

    Parameters
    ----------
    rollout : CanaryRollout
        Its model, challenger version, schedule, champion alias and store are used.
    name : str, optional
        InferenceService name; default derived from the model name.
    namespace : str, default "default"
    runtime : str, optional
        ServingRuntime name (``kserve-mlserver`` serves MLflow models).

    Returns
    -------
    list of dict
        ``metadata.annotations["mlops-kit/step"]`` says what each one is:
        ``champion``, ``stage-1`` ... ``stage-N`` and ``rollback``.

    Examples
    --------
    >>> from mlops_kit.deploy import CanaryRollout
    >>> docs = kserve_manifests(CanaryRollout("credit-risk", 3))  # doctest: +SKIP
    >>> [d["spec"]["predictor"].get("canaryTrafficPercent") for d in docs]  # doctest: +SKIP
    [None, 5, 25, 50, None, 0]
    """
    from mlops_kit.deploy.canary import check_schedule
    from mlops_kit.tracking import current, get_client
    from mlops_kit.tracking.registry import require_version

    schedule = check_schedule(rollout.schedule)
    rollout._validate()
    client = get_client(rollout.tracking_uri)
    champion = current(
        rollout.model_name, rollout.champion_alias, tracking_uri=rollout.tracking_uri
    )
    require_version(client, rollout.model_name, rollout.challenger)
    champ_uri = client.get_model_version_download_uri(rollout.model_name, str(champion.version))
    chall_uri = client.get_model_version_download_uri(rollout.model_name, str(rollout.challenger))
    name = name or service_name(rollout.model_name)

    def doc(step, uri, version, percent):
        return manifest(
            name,
            uri,
            canary_percent=percent,
            namespace=namespace,
            runtime=runtime,
            labels={"app.kubernetes.io/name": name, "mlops-kit/model-version": version},
            annotations={
                "mlops-kit/step": step,
                "mlops-kit/registered-model": rollout.model_name,
                "mlops-kit/model-version": version,
            },
        )

    docs = [doc("champion", champ_uri, champion.version, None)]
    for i, percent in enumerate(schedule, start=1):
        pct = None if percent >= 100 else round(percent)
        docs.append(doc(f"stage-{i}", chall_uri, rollout.challenger, pct))
    # KServe: canaryTrafficPercent 0 sends all traffic back to the last good revision
    docs.append(doc("rollback", chall_uri, rollout.challenger, 0))
    return docs


def to_yaml(manifests) -> str:
    """Dump manifests as one multi-document YAML string (``kubectl apply -f``).

    Examples
    --------
    >>> to_yaml([{"a": 1}, {"b": 2}])
    'a: 1\\n---\\nb: 2\\n'
    """
    import yaml

    return yaml.safe_dump_all(list(manifests), sort_keys=False, default_flow_style=False)
