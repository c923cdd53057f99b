"""The maturity self-assessment widget: answer per dimension, see the level move.

A thin layer over :func:`~mlops_kit.maturity.assess`: one tab per dimension with an
answer control per question (the scan's proposal pre-selected, its evidence beside
it), a radar chart and the level, level name and team fit redrawn on every change,
and buttons to save the assessment to MLflow or export it to JSON/YAML. ipywidgets
and matplotlib are imported only when a widget is built.

Examples
--------
>>> from mlops_kit.maturity.widget import assessment_widget
>>> w = assessment_widget(team_size=5)
>>> w.controls["vt_code_in_git"].value = 1
>>> w.answers
{'vt_code_in_git': 1}
>>> w.assessment.level
1
"""

from __future__ import annotations

import html

from mlops_kit._figures import import_ipywidgets
from mlops_kit.errors import InputError
from mlops_kit.maturity import widget_parts as parts
from mlops_kit.maturity.progress import DEFAULT_EXPERIMENT

__all__ = ["AssessmentWidget", "assessment_widget"]


class AssessmentWidget:
    """Answer the maturity questions and watch the level, radar chart and gaps follow.

    Display it as the last expression of a cell. Every part is a public attribute, so
    a test or a notebook can drive it by setting ``controls[item_id].value`` or
    clicking ``save_button`` / ``export_button``. Build it with
    :func:`assessment_widget`.

    Parameters
    ----------
    bank : QuestionBank or path, optional
        The question bank (the packaged one by default).
    scan : EvidenceScan, optional
        Its proposed answers are pre-selected and its evidence shown beside each item.
    team_size : int, optional
        Starting team size (editable in the widget; 0 there means not given).
    tracking_uri : str, optional
        Where "Save to MLflow" logs (resolved as usual when None).
    answers : dict, optional
        Starting answers; they override the scan's proposals.
    experiment : str, default "mlops-kit-maturity"
        The MLflow experiment "Save to MLflow" logs to.
    path : str, default "assessment.json"
        Starting value of the export path field.

    Attributes
    ----------
    controls : dict of str to ipywidgets.ToggleButtons
        One per item; values ``"unanswered"``, 0, 0.5, 1 and ``"na"`` (where allowed).
    evidence_labels : dict of str to ipywidgets.HTML
        The scan's proposal and evidence beside each control.
    tabs : ipywidgets.Accordion
        One full-width section per dimension (titles show how many items are
        answered); a section's title is never clipped, unlike a tab bar's.
    team_size_input : ipywidgets.BoundedIntText
        The team size (0 = not given).
    chart : ipywidgets.Image
        Radar chart of the dimension scores, PNG.
    level_label : ipywidgets.HTML
        Level, level name, mean score, team fit and unanswered count.
    gaps_label : ipywidgets.HTML
        The top three gaps with their next step.
    save_button, export_button : ipywidgets.Button
        Save to MLflow; export to the file named in ``path_input``.
    path_input : ipywidgets.Text
        Export path; ``.json``, ``.yaml`` or ``.yml``.
    status : ipywidgets.HTML
        Outcome of the last save or export (errors are shown here, not raised).
    box : ipywidgets.VBox
        The whole widget.
    assessment : Assessment
        The assessment of the current answers (unanswered items allowed).
    error : str or None
        Why the last save or export failed.
    run_id : str or None
        The run written by the last successful save.

    Examples
    --------
    >>> w = AssessmentWidget(answers={"cicd_rollback": 0.5})
    >>> w.controls["cicd_rollback"].value
    0.5
    """

    def __init__(
        self,
        bank=None,
        scan=None,
        team_size=None,
        tracking_uri=None,
        answers=None,
        experiment: str = DEFAULT_EXPERIMENT,
        path: str = "assessment.json",
    ):
        from mlops_kit.maturity.answers import check_answers, check_team_size
        from mlops_kit.maturity.bank import load_bank
        from mlops_kit.maturity.scan import EvidenceScan

        w = import_ipywidgets("assessment_widget")
        self.bank = load_bank(bank)
        if scan is not None and not isinstance(scan, EvidenceScan):
            raise InputError.invalid(
                "scan",
                type(scan).__name__,
                "an EvidenceScan from mlops_kit.maturity.scan() or None",
            )
        team_size = check_team_size(team_size)
        given, _ = check_answers(self.bank, {} if answers is None else answers, allow_missing=True)
        self.scan = scan
        self.tracking_uri = tracking_uri
        self.experiment = experiment
        self.assessment = None
        self.error: str | None = None
        self.run_id: str | None = None
        self._hold = False

        ids = set(self.bank.item_ids)
        proposed = {k: v for k, v in (scan.proposed_answers() if scan else {}).items() if k in ids}
        self._evidence = {k: v for k, v in (scan.evidence() if scan else {}).items() if k in ids}
        start = {**proposed, **{k: v for k, v in given.items() if v is not None}}

        # Layout: everything stacks in one column as wide as the notebook, so no question,
        # answer or title is clipped at a 1280-px browser window (tests/browser measures it).
        # The CSS classes mlops-maturity-* are stable hooks for that test.
        full = {"width": "auto"}
        self.controls = {}
        self.evidence_labels = {}
        pages = []
        for dim in self.bank.dimensions:
            rows = []
            for item in self.bank.items_of(dim.id):
                control = w.ToggleButtons(
                    options=parts.answer_options(item.allowed),
                    value=start.get(item.id, parts.UNANSWERED),
                    style={"button_width": "auto"},
                    layout=w.Layout(width="auto", flex_flow="row wrap"),
                )
                control.add_class("mlops-maturity-answers")
                control.observe(self._on_change, names="value")
                label = w.HTML(
                    parts.evidence_html(proposed.get(item.id), self._evidence.get(item.id)),
                    layout=w.Layout(**full),
                )
                label.add_class("mlops-maturity-evidence")
                question = w.HTML(parts.item_html(item), layout=w.Layout(**full))
                question.add_class("mlops-maturity-question")
                self.controls[item.id] = control
                self.evidence_labels[item.id] = label
                rows.extend([question, control, label])
            pages.append(w.VBox(rows, layout=w.Layout(**full)))
        self.tabs = w.Accordion(children=pages, selected_index=0, layout=w.Layout(**full))
        self.tabs.add_class("mlops-maturity-sections")
        self.team_size_input = w.BoundedIntText(
            value=team_size or 0,
            min=0,
            max=1_000_000,
            description="team size",
            tooltip="People doing ML (0 = not given)",
        )
        self.team_size_input.observe(self._on_change, names="value")
        self.chart = w.Image(format="png", layout=w.Layout(width="360px", max_width="100%"))
        self.level_label = w.HTML()
        self.gaps_label = w.HTML()
        self.save_button = w.Button(description="Save to MLflow", icon="save")
        self.export_button = w.Button(description="Export", icon="download")
        self.path_input = w.Text(value=path, description="export to")
        self.status = w.HTML()
        self.save_button.on_click(self._on_save)
        self.export_button.on_click(self._on_export)
        header = w.HTML(parts.HEADER, layout=w.Layout(**full))
        self.level_label.layout = w.Layout(**full)
        self.gaps_label.layout = w.Layout(**full)
        text = w.VBox([self.level_label, self.gaps_label], layout=w.Layout(flex="1 1 300px"))
        summary = w.HBox([text, self.chart], layout=w.Layout(flex_flow="row wrap", **full))
        actions = w.HBox(
            [self.save_button, self.path_input, self.export_button],
            layout=w.Layout(flex_flow="row wrap", **full),
        )
        self.box = w.VBox(
            [header, self.team_size_input, summary, self.tabs, actions, self.status],
            layout=w.Layout(**full),
        )
        self.box.add_class("mlops-maturity")
        # stable hooks for tests/browser and the screenshots (mlops-kit-<widget>[-<part>])
        self.box.add_class("mlops-kit-assessment")
        self.level_label.add_class("mlops-kit-assessment-level")
        self.gaps_label.add_class("mlops-kit-assessment-gaps")
        self.chart.add_class("mlops-kit-assessment-chart")
        self.tabs.add_class("mlops-kit-assessment-sections")
        self.save_button.add_class("mlops-kit-assessment-save")
        self.export_button.add_class("mlops-kit-assessment-export")
        self.status.add_class("mlops-kit-assessment-status")
        self.update()

    # --- state --------------------------------------------------------------------------
    @property
    def answers(self) -> dict:
        """``{item_id: 0 | 0.5 | 1 | "na"}`` of the answered items, in bank order."""
        out = {}
        for item_id, control in self.controls.items():
            value = control.value
            if value is not None and value != parts.UNANSWERED:
                out[item_id] = value
        return out

    @property
    def team_size(self) -> int | None:
        """The team size in the widget (None when 0, i.e. not given)."""
        return int(self.team_size_input.value) or None

    def set_answers(self, answers: dict) -> None:
        """Set several answers at once (one redraw); ``None`` clears an answer.

        Examples
        --------
        >>> w = assessment_widget()
        >>> w.set_answers({"vt_code_in_git": 1, "cicd_ci_pipeline": "0.5"})
        >>> w.answers
        {'vt_code_in_git': 1, 'cicd_ci_pipeline': 0.5}
        """
        from mlops_kit.maturity.answers import check_answers

        checked, _ = check_answers(self.bank, answers, allow_missing=True)
        self._hold = True
        try:
            for item_id in answers:
                value = checked[item_id]
                self.controls[item_id].value = parts.UNANSWERED if value is None else value
        finally:
            self._hold = False
        self.update()

    def update(self) -> None:
        """Re-assess the current answers and redraw the level, chart, gaps and tab titles."""
        from mlops_kit.maturity.assessment import assess
        from mlops_kit.maturity.score import team_fit

        a = assess(self.answers, team_size=self.team_size, allow_missing=True, bank=self.bank)
        self.assessment = a
        fit = team_fit(self.bank, a.level, a.team_size)[0]
        self.level_label.value = parts.level_html(a, fit)
        self.gaps_label.value = parts.gaps_html(a)
        self.chart.value = parts.radar_png(a)
        answered = self.answers
        self.tabs.titles = tuple(
            f"Step {d.step}: {d.name} ({sum(i.id in answered for i in self.bank.items_of(d.id))}/"
            f"{len(self.bank.items_of(d.id))})"
            for d in self.bank.dimensions
        )

    def _on_change(self, _change) -> None:
        if not self._hold:
            self.update()

    # --- saving -------------------------------------------------------------------------
    def save(self) -> str:
        """Log the current assessment to MLflow and return the run id (errors raise).

        The button shows errors in :attr:`status` instead of raising them.
        """
        run_id = self.assessment.log_to_mlflow(
            experiment=self.experiment, tracking_uri=self.tracking_uri
        )
        self.run_id = run_id
        self._ok(
            f"Saved level {self.assessment.level} to MLflow experiment {self.experiment!r} "
            f"(run {run_id})."
        )
        return run_id

    def export(self, path=None):
        """Write answers and result to ``path`` (default: the path field) and return the Path.

        JSON or YAML by suffix; see :func:`~mlops_kit.maturity.widget_io.export_assessment`.
        The button shows errors in :attr:`status` instead of raising them.
        """
        from mlops_kit.maturity.answers_file import export_assessment

        target = export_assessment(
            self.assessment, self.path_input.value if path is None else path, self._evidence
        )
        self._ok(f"Exported answers and result to {str(target)!r}.")
        return target

    def _ok(self, message: str) -> None:
        self.error = None
        self.status.value = f"<span style='color:#2a7d2a'>{html.escape(message)}</span>"

    def _fail(self, action: str, exc: Exception) -> None:
        self.error = f"{type(exc).__name__}: {exc}"
        self.status.value = (
            f"<span style='color:#b00'>{html.escape(action)} failed: "
            f"{html.escape(self.error)}</span>"
        )

    def _on_save(self, _button) -> None:
        try:
            self.save()
        except Exception as exc:  # shown to the user in the widget, never raised from a click
            self._fail("Save to MLflow", exc)

    def _on_export(self, _button) -> None:
        try:
            self.export()
        except Exception as exc:  # shown to the user in the widget, never raised from a click
            self._fail("Export", exc)

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def assessment_widget(
    bank=None,
    scan=None,
    team_size=None,
    tracking_uri=None,
    *,
    answers=None,
    experiment: str = DEFAULT_EXPERIMENT,
    path: str = "assessment.json",
) -> AssessmentWidget:
    """Build the maturity self-assessment widget.

    Parameters
    ----------
    bank : QuestionBank or path, optional
        The question bank (the packaged one by default).
    scan : EvidenceScan, optional
        From :func:`~mlops_kit.maturity.scan`: its proposals are pre-selected and its
        evidence shown beside each item.
    team_size : int, optional
        Starting team size (compared with the level: the team fit).
    tracking_uri : str, optional
        Where "Save to MLflow" logs.
    answers : dict, optional
        Starting answers, overriding the scan's proposals.
    experiment : str, default "mlops-kit-maturity"
        The experiment "Save to MLflow" logs to.
    path : str, default "assessment.json"
        Starting export path (``.json``, ``.yaml`` or ``.yml``).

    Returns
    -------
    AssessmentWidget
        Display it in a notebook; ``.assessment`` holds the latest Assessment.

    Examples
    --------
    >>> w = assessment_widget(answers={"vt_code_in_git": 0})
    >>> w.controls["vt_code_in_git"].value = 1
    >>> w.assessment.answers["vt_code_in_git"]
    1
    """
    return AssessmentWidget(
        bank=bank,
        scan=scan,
        team_size=team_size,
        tracking_uri=tracking_uri,
        answers=answers,
        experiment=experiment,
        path=path,
    )
