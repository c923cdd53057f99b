"""The registry panel of the experiment browser: versions, aliases, promote, roll back, approve.

A thin widget layer over :mod:`mlops_kit.tracking.registry`,
:mod:`mlops_kit.tracking.alias_history` and :mod:`mlops_kit.governance.decisions`:
the buttons call the same :func:`~mlops_kit.tracking.alias_history.promote`,
:func:`~mlops_kit.tracking.alias_history.rollback` and
:func:`~mlops_kit.governance.approve` as code does, then re-read the store.
Errors are shown in the ``status`` widget, never raised into the notebook. The
tables come from the plain functions :func:`versions_table_html`,
:func:`history_table_html` and :func:`approvals_table_html` (the approval trail
beside the alias history, in a ``<div class="mlops-kit-approvals">``).

Examples
--------
>>> import tempfile
>>> panel = RegistryPanel(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
>>> panel.refresh()
>>> "No registered models" in panel.versions_table.value
True
"""

from __future__ import annotations

from mlops_kit._figures import import_ipywidgets
from mlops_kit.tracking.store import resolve_tracking_uri
from mlops_kit.tracking.widget_html import describe_error, frame_html, message_html

__all__ = ["RegistryPanel", "approvals_table_html", "history_table_html", "versions_table_html"]

NO_MODELS = (
    "No registered models in this store yet. Register one with "
    "mlops_kit.tracking.register(model, name) and press Refresh."
)
NO_HISTORY = "No alias moves recorded yet. Promote a version to start the history."
NO_APPROVALS = (
    "No approval decisions recorded yet. Choose a version and press Approve or Reject "
    "(or call mlops_kit.governance.approve)."
)
APPROVALS_CLASS = "mlops-kit-approvals"


def versions_table_html(frame) -> str:
    """Return the versions of a model (from ``registry.versions``) as an escaped table.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"version": [1], "aliases": ["champion"], "status": ["READY"],
    ...     "creation_time": pd.to_datetime(["2026-01-01"], utc=True), "run_id": ["abcdef123"],
    ...     "description": ["<i>first</i>"]})
    >>> "&lt;i&gt;first&lt;/i&gt;" in versions_table_html(frame)
    True
    """
    if frame is None or frame.empty:
        return message_html("No versions registered yet.")
    shown = frame[["version", "aliases", "status", "creation_time", "run_id", "description"]]
    shown = shown.assign(
        creation_time=shown["creation_time"].dt.strftime("%Y-%m-%d %H:%M"),
        run_id=shown["run_id"].fillna("").astype(str).str[:8],
    ).rename(columns={"creation_time": "created (UTC)", "run_id": "run"})
    return frame_html(shown.iloc[::-1], what="versions")


def history_table_html(frame, max_rows: int = 20) -> str:
    """Return an alias history (from ``alias_history.history``) newest first, escaped.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"seq": [1], "alias": ["champion"], "action": ["promote"],
    ...     "from_version": pd.array([None], dtype="Int64"), "to_version": [2], "user": ["ana"],
    ...     "timestamp": pd.to_datetime(["2026-01-01"], utc=True), "reason": ["<b>AUC</b>"]})
    >>> "&lt;b&gt;AUC&lt;/b&gt;" in history_table_html(frame)
    True
    """
    if frame is None or frame.empty:
        return message_html(NO_HISTORY)
    shown = frame.sort_values("seq", ascending=False)
    shown = shown.assign(timestamp=shown["timestamp"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    shown = shown.rename(
        columns={"from_version": "from", "to_version": "to", "timestamp": "when (UTC)"}
    )
    return frame_html(shown, max_rows, what="events")


def approvals_table_html(frame, max_rows: int = 20, policy=None) -> str:
    """Return an approval trail (``approvals(model).to_frame()``) newest first, escaped.

    Who, when, decision and notes per version, in a ``<div class="mlops-kit-approvals">``,
    under a line naming the model's governance ``policy`` (None: no policy).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"version": [2], "seq": [1], "decision": ["approve"],
    ...     "by": ["val"], "author": ["ana"], "timestamp": ["2026-01-01T09:00:00.000+00:00"],
    ...     "notes": ["<b>ok</b>"], "evidence": ["{}"]})
    >>> html = approvals_table_html(frame)
    >>> 'class="mlops-kit-approvals"' in html, "&lt;b&gt;ok&lt;/b&gt;" in html
    (True, True)
    """
    import html as _html

    import pandas as pd

    line = (
        "No governance policy on this model: approvals are recorded, not required."
        if policy is None
        else f"Governance policy: {policy!r} (see mlops_kit.governance.set_policy)."
    )
    parts = [message_html(line)]
    if frame is None or frame.empty:
        parts.append(message_html(NO_APPROVALS))
    else:
        shown = frame.sort_values(["version", "seq"], ascending=False)
        when = pd.to_datetime(shown["timestamp"], utc=True, errors="coerce")
        shown = shown.assign(timestamp=when.dt.strftime("%Y-%m-%d %H:%M:%S"))
        shown = shown[["version", "decision", "by", "timestamp", "notes", "author", "evidence"]]
        shown = shown.rename(columns={"timestamp": "when (UTC)"})
        styles = ["color:#176317" if d == "approve" else "color:#a01010" for d in shown["decision"]]
        parts.append(frame_html(shown, max_rows, what="decisions", row_styles=styles))
    return f'<div class="{_html.escape(APPROVALS_CLASS)}">{"".join(parts)}</div>'


class RegistryPanel:
    """Versions, aliases, alias history and approvals of one model: Promote, Roll back, Approve.

    Usually built by :func:`~mlops_kit.tracking.widget.experiment_browser`
    (its *Registry* tab). Call :meth:`refresh` to (re-)read the store.

    Parameters
    ----------
    tracking_uri : str, optional
        Store to use.
    user : str, optional
        Recorded as who moved an alias (default: ``$USER``).

    Attributes
    ----------
    model, version : ipywidgets.Dropdown
        "Model" and "Version" (the chosen model's version numbers, latest first chosen).
    alias, reason : ipywidgets.Text
        "Alias" (default ``champion``) and "Reason" (optional, kept in the history).
    promote_button, rollback_button : ipywidgets.Button
        "Promote" and "Roll back".
    notes : ipywidgets.Text
        "Notes" of an approval decision (optional, kept in the trail).
    approve_button, reject_button : ipywidgets.Button
        "Approve" and "Reject": record a decision on Version with
        :func:`mlops_kit.governance.approve` (by ``user``).
    status : ipywidgets.HTML
        The outcome of the last action (success or the error's message).
    versions_table, history_table, approvals_table : ipywidgets.HTML
        The versions with their aliases, the alias history and the approval trail
        (who, when, decision, notes per version), newest first.
    versions_frame, history_frame, approvals_frame : pandas.DataFrame or None
        The data behind the tables (``registry.versions``, ``alias_history.history``,
        ``governance.approvals(model).to_frame()``).
    widget : ipywidgets.VBox
        The whole panel.

    Examples
    --------
    >>> import tempfile
    >>> panel = RegistryPanel(f"sqlite:///{tempfile.mkdtemp()}/mlruns.db")
    >>> panel.alias.value
    'champion'
    """

    WIDGETS = (
        "model",
        "versions_table",
        "version",
        "alias",
        "reason",
        "promote_button",
        "rollback_button",
        "status",
        "history_table",
        "notes",
        "approve_button",
        "reject_button",
        "approvals_table",
    )

    def __init__(self, tracking_uri: str | None = None, *, user: str | None = None):
        w = import_ipywidgets("experiment_browser")
        self.tracking_uri = resolve_tracking_uri(tracking_uri)
        self.user = user
        self.versions_frame = None
        self.history_frame = None
        self.approvals_frame = None
        self._hold = False
        style = {"description_width": "initial"}
        self.model = w.Dropdown(options=[], value=None, description="Model", style=style)
        self.versions_table = w.HTML()
        self.version = w.Dropdown(options=[], value=None, description="Version", style=style)
        self.alias = w.Text(value="champion", description="Alias", style=style)
        self.reason = w.Text(
            value="",
            description="Reason",
            placeholder="why (kept in the alias history)",
            style=style,
        )
        self.promote_button = w.Button(
            description="Promote", button_style="primary", tooltip="Point the alias at Version"
        )
        self.rollback_button = w.Button(
            description="Roll back",
            button_style="warning",
            tooltip="Move the alias back to the version it pointed to before",
        )
        self.status = w.HTML()
        self.history_table = w.HTML()
        self.notes = w.Text(
            value="", description="Notes", placeholder="evidence, conditions", style=style
        )
        self.approve_button = w.Button(
            description="Approve", button_style="success", tooltip="Approve Version (recorded)"
        )
        self.reject_button = w.Button(
            description="Reject", button_style="danger", tooltip="Reject Version (recorded)"
        )
        self.approvals_table = w.HTML()
        self.approvals_table.add_class(APPROVALS_CLASS)
        self.widget = w.VBox(
            [
                self.model,
                self.versions_table,
                w.HBox([self.version, self.alias, self.reason]),
                w.HBox([self.promote_button, self.rollback_button]),
                self.status,
                w.HTML("<strong>Alias history</strong>"),
                self.history_table,
                w.HTML("<strong>Approvals</strong>"),
                w.HBox([self.notes, self.approve_button, self.reject_button]),
                self.approvals_table,
            ]
        )
        # stable hooks for tests/browser and the screenshots (mlops-kit-<widget>[-<part>])
        self.widget.add_class("mlops-kit-registry")
        self.model.add_class("mlops-kit-registry-model")
        self.versions_table.add_class("mlops-kit-registry-versions")
        self.version.add_class("mlops-kit-registry-version")
        self.alias.add_class("mlops-kit-registry-alias")
        self.reason.add_class("mlops-kit-registry-reason")
        self.promote_button.add_class("mlops-kit-registry-promote")
        self.rollback_button.add_class("mlops-kit-registry-rollback")
        self.status.add_class("mlops-kit-registry-status")
        self.history_table.add_class("mlops-kit-registry-history")
        self.model.observe(self._on_model, names="value")
        self.promote_button.on_click(self._on_promote)
        self.rollback_button.on_click(self._on_rollback)
        self.approve_button.on_click(lambda _b: self._on_decide("approve"))
        self.reject_button.on_click(lambda _b: self._on_decide("reject"))

    def refresh(self) -> None:
        """Re-read the registered models and the chosen model's versions and history."""
        from mlops_kit.tracking.registry import list_models

        keep = self.model.value
        try:
            names = list_models(tracking_uri=self.tracking_uri)["name"].tolist()
        except Exception as exc:  # shown, never raised into the notebook
            names = []
            self.status.value = message_html(
                f"Cannot read the model registry: {describe_error(exc)}", "error"
            )
        self._hold = True
        try:
            self.model.options = names
            self.model.value = keep if keep in names else (names[0] if names else None)
        finally:
            self._hold = False
        self._load(keep_version=self.model.value == keep)

    def _load(self, keep_version: bool) -> None:
        from mlops_kit.governance.decisions import approvals, get_policy
        from mlops_kit.tracking.alias_history import history
        from mlops_kit.tracking.registry import versions

        name = self.model.value
        vf = hf = af = policy = None
        if name is not None:
            try:
                vf = versions(name, tracking_uri=self.tracking_uri)
                hf = history(name, tracking_uri=self.tracking_uri)
                af = approvals(name, tracking_uri=self.tracking_uri).to_frame()
                policy = get_policy(name, tracking_uri=self.tracking_uri)
            except Exception as exc:  # deleted meanwhile, store down...
                self.status.value = message_html(
                    f"Cannot read model {name!r}: {describe_error(exc)}", "error"
                )
        self.versions_frame, self.history_frame, self.approvals_frame = vf, hf, af
        numbers = [] if vf is None else [int(v) for v in vf["version"]]
        keep = self.version.value
        self._hold = True
        try:
            self.version.options = [(str(v), v) for v in reversed(numbers)]
            chosen = keep if keep_version and keep in numbers else None
            self.version.value = chosen if chosen is not None else max(numbers, default=None)
        finally:
            self._hold = False
        for button in (
            self.promote_button,
            self.rollback_button,
            self.approve_button,
            self.reject_button,
        ):
            button.disabled = not numbers
        if name is None:
            self.versions_table.value = message_html(NO_MODELS)
            self.history_table.value = self.approvals_table.value = ""
        else:
            self.versions_table.value = versions_table_html(vf)
            self.history_table.value = history_table_html(hf) if hf is not None else ""
            self.approvals_table.value = approvals_table_html(af, policy=policy)

    def _on_model(self, _change) -> None:
        if not self._hold:
            self.status.value = ""
            self._load(keep_version=False)

    def _act(self, action: str):
        """Run promote/rollback on the widgets' values; return (name, alias, info) or None."""
        from mlops_kit.tracking.alias_history import promote, rollback

        verb = {"promote": "promote", "rollback": "roll back"}[action]
        name, alias = self.model.value, self.alias.value.strip()
        reason = self.reason.value.strip() or None
        if name is None:
            self.status.value = message_html(f"Cannot {verb}: {NO_MODELS}", "error")
            return None
        try:
            if action == "promote":
                info = promote(
                    name,
                    self.version.value,
                    alias,
                    reason,
                    user=self.user,
                    tracking_uri=self.tracking_uri,
                )
            else:
                info = rollback(name, alias, reason, user=self.user, tracking_uri=self.tracking_uri)
        except Exception as exc:  # shown, never raised into the notebook
            self.status.value = message_html(f"Could not {verb}: {describe_error(exc)}", "error")
            return None
        self.reason.value = ""
        self._load(keep_version=True)
        return name, alias, info

    def _on_promote(self, _button=None) -> None:
        done = self._act("promote")
        if done:
            name, alias, info = done
            self.status.value = message_html(
                f"Promoted: alias {alias!r} of model {name!r} now points to version "
                f"{info.version}.",
                "success",
            )

    def _on_rollback(self, _button=None) -> None:
        done = self._act("rollback")
        if done:
            name, alias, info = done
            import pandas as pd

            was, hf = "", self.history_frame
            if hf is not None and (hf["alias"] == alias).any():
                last = hf[hf["alias"] == alias].iloc[-1]["from_version"]
                was = "" if pd.isna(last) else f" (was {int(last)})"
            self.status.value = message_html(
                f"Rolled back: alias {alias!r} of model {name!r} now points to version "
                f"{info.version}{was}.",
                "success",
            )

    def _on_decide(self, decision: str) -> None:
        """Record ``decision`` on the chosen version with :func:`mlops_kit.governance.approve`."""
        from mlops_kit.governance.decisions import approve

        name, version = self.model.value, self.version.value
        if name is None:
            self.status.value = message_html(f"Cannot {decision}: {NO_MODELS}", "error")
            return
        try:
            record = approve(
                name,
                version,
                decision,
                by=self.user,
                notes=self.notes.value.strip() or None,
                tracking_uri=self.tracking_uri,
            )
        except Exception as exc:  # shown, never raised into the notebook
            self.status.value = message_html(
                f"Could not {decision}: {describe_error(exc)}", "error"
            )
            return
        self.notes.value = ""
        self._load(keep_version=True)
        verb = "Approved" if decision == "approve" else "Rejected"
        self.status.value = message_html(
            f"{verb}: version {version} of model {name!r} by {record['by']!r} "
            f"(decision {record['seq']} in its trail).",
            "success",
        )
