"""KServe export: one v1beta1 InferenceService manifest per canary stage, checked field by field.

The allowed fields are written from KServe's v1beta1 API reference
(``serving.kserve.io/v1beta1``: InferenceService, InferenceServiceSpec,
PredictorSpec = ComponentExtensionSpec + the predictor implementations + PodSpec,
ModelSpec = ModelFormat, runtime, protocolVersion, storageUri, storage + Container,
ModelFormat = name, version), so a typo or an invented field fails here rather
than on a cluster.
"""

from __future__ import annotations

import pytest
import yaml
from _deploy_models import MODEL, register_all

from mlops_kit.deploy import CanaryRollout, kserve_manifests
from mlops_kit.deploy.kserve import manifest, service_name, to_yaml
from mlops_kit.errors import AliasNotFoundError, InputError, ModelNotFoundError

INFERENCE_SERVICE = {"apiVersion", "kind", "metadata", "spec", "status"}
OBJECT_META = {
    "name",
    "namespace",
    "labels",
    "annotations",
    "generateName",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "ownerReferences",
    "finalizers",
    "managedFields",
    "deletionGracePeriodSeconds",
}
INFERENCE_SERVICE_SPEC = {"predictor", "explainer", "transformer"}
COMPONENT_EXTENSION = {
    "minReplicas",
    "maxReplicas",
    "scaleTarget",
    "scaleMetric",
    "containerConcurrency",
    "timeout",
    "canaryTrafficPercent",
    "logger",
    "batcher",
    "labels",
    "annotations",
    "deploymentStrategy",
}
PREDICTOR_IMPLEMENTATIONS = {
    "sklearn",
    "xgboost",
    "tensorflow",
    "pytorch",
    "triton",
    "onnx",
    "pmml",
    "lightgbm",
    "paddle",
    "huggingface",
    "model",
}
POD_SPEC_SOME = {
    "containers",
    "serviceAccountName",
    "nodeSelector",
    "tolerations",
    "affinity",
    "volumes",
    "imagePullSecrets",
    "initContainers",
    "priorityClassName",
}
PREDICTOR_SPEC = COMPONENT_EXTENSION | PREDICTOR_IMPLEMENTATIONS | POD_SPEC_SOME | {"workerSpec"}
MODEL_SPEC = {
    "modelFormat",
    "runtime",
    "protocolVersion",
    "storageUri",
    "storage",
    "runtimeVersion",
    "name",
    "image",
    "command",
    "args",
    "env",
    "resources",
    "ports",
    "volumeMounts",
    "readinessProbe",
    "livenessProbe",
}
MODEL_FORMAT = {"name", "version"}
PROTOCOLS = {"v1", "v2", "grpc-v1", "grpc-v2"}  # fmt: skip


def check_against_api(doc: dict) -> None:
    assert doc["apiVersion"] == "serving.kserve.io/v1beta1" and doc["kind"] == "InferenceService"
    assert set(doc) <= INFERENCE_SERVICE
    assert set(doc["metadata"]) <= OBJECT_META
    assert set(doc["spec"]) <= INFERENCE_SERVICE_SPEC
    predictor = doc["spec"]["predictor"]
    assert set(predictor) <= PREDICTOR_SPEC, set(predictor) - PREDICTOR_SPEC
    model = predictor["model"]
    assert set(model) <= MODEL_SPEC, set(model) - MODEL_SPEC
    assert set(model["modelFormat"]) <= MODEL_FORMAT
    assert model["protocolVersion"] in PROTOCOLS
    if "canaryTrafficPercent" in predictor:
        value = predictor["canaryTrafficPercent"]
        assert isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100
    for mapping in (doc["metadata"].get("labels", {}), doc["metadata"].get("annotations", {})):
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in mapping.items())


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kserve-store")
    uri = f"sqlite:///{folder / 'mlruns.db'}"
    return {"uri": uri, **register_all(uri)}


def test_one_manifest_per_stage_with_the_versions_storage_uri(store):
    rollout = CanaryRollout(MODEL, store["good"], tracking_uri=store["uri"])
    docs = kserve_manifests(rollout, namespace="ml-prod", runtime="kserve-mlserver")
    steps = [d["metadata"]["annotations"]["mlops-kit/step"] for d in docs]
    assert steps == ["champion", "stage-1", "stage-2", "stage-3", "stage-4", "rollback"]
    percents = [d["spec"]["predictor"].get("canaryTrafficPercent") for d in docs]
    assert percents == [None, 5, 25, 50, None, 0]
    uris = [d["spec"]["predictor"]["model"]["storageUri"] for d in docs]
    from mlops_kit.tracking import get_client

    client = get_client(store["uri"])
    assert uris[0] == client.get_model_version_download_uri(MODEL, "1")
    assert set(uris[1:]) == {client.get_model_version_download_uri(MODEL, str(store["good"]))}
    assert uris[0] != uris[1]
    for doc in docs:
        check_against_api(doc)
        assert doc["metadata"]["name"] == "credit-risk"
        assert doc["metadata"]["namespace"] == "ml-prod"
        assert doc["spec"]["predictor"]["model"]["modelFormat"] == {"name": "mlflow"}
        assert doc["spec"]["predictor"]["model"]["runtime"] == "kserve-mlserver"
    # YAML round trip through pyyaml: what kubectl would read
    assert list(yaml.safe_load_all(to_yaml(docs))) == docs


def test_checker_catches_a_field_kserve_does_not_define():
    doc = manifest("credit", "s3://bucket/model", canary_percent=5)
    doc["spec"]["predictor"]["trafficPercent"] = 5  # not a v1beta1 field
    with pytest.raises(AssertionError):
        check_against_api(doc)


def test_bad_input(store):
    with pytest.raises(InputError, match=r"^Invalid schedule:"):
        kserve_manifests(CanaryRollout(MODEL, 2, schedule=[50, 20], tracking_uri=store["uri"]))
    with pytest.raises(ModelNotFoundError, match="Version 9"):
        kserve_manifests(CanaryRollout(MODEL, 9, tracking_uri=store["uri"]))
    with pytest.raises(AliasNotFoundError):
        kserve_manifests(CanaryRollout(MODEL, 2, champion_alias="prod", tracking_uri=store["uri"]))
    with pytest.raises(InputError, match=r"^Invalid name:"):
        manifest("Credit_Risk", "s3://b/m")
    with pytest.raises(InputError, match=r"^Invalid canary_percent:"):
        manifest("credit", "s3://b/m", canary_percent=150)
    assert service_name("9 Lives!") == "m-9-lives"
