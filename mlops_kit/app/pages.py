"""The pages the app serves: the assessment and ROI widgets with a "Submit to the room" panel,
and the room's results.

Each packaged notebook (``mlops_kit/app/notebooks/*.ipynb``) is one cell calling one of
these functions, so the pages are tested here without a browser. The room folder
comes from the ``MLOPS_KIT_ROOM`` environment variable that ``mlops-kit app`` sets
for Voilà (and so for its kernels). Stable CSS classes (``mlops-kit-app-*``) let
browser tests find the parts.

Examples
--------
>>> import tempfile
>>> page = assess_page(tempfile.mkdtemp())
>>> page.widget.controls["vt_code_in_git"].value = 1
>>> page.name_input.value = "ada"
>>> page.submit()
1
>>> page.status.value
'<span>Submitted as ada: level 1 (No formal MLOps processes).</span>'
"""

from __future__ import annotations

import html
import os

from mlops_kit._figures import import_ipywidgets

__all__ = ["RoomPage", "SubmitPage", "assess_page", "roi_page", "room_from_env", "room_page"]


def room_from_env(room=None):
    """The Room of ``room`` or, when None, of ``$MLOPS_KIT_ROOM`` (default ``mlops-kit-room``).

    Examples
    --------
    >>> import tempfile
    >>> room_from_env(tempfile.mkdtemp()).results().n_participants
    0
    """
    from mlops_kit.app.room import DEFAULT_ROOM, ROOM_ENV, Room

    if isinstance(room, Room):
        return room
    return Room(room if room is not None else os.environ.get(ROOM_ENV, DEFAULT_ROOM))


class SubmitPage:
    """A kit widget with a name field and a "Submit to the room" button under it.

    Build it with :func:`assess_page` or :func:`roi_page`.

    Attributes
    ----------
    widget : AssessmentWidget or RoiWidget
        The kit's widget, unchanged (its file-writing buttons are hidden in a room).
    name_input : ipywidgets.Text
        The participant's name; blank submits under an anonymous id kept for the page.
    submit_button : ipywidgets.Button
    status : ipywidgets.HTML
        The outcome of the last submission (errors are shown, never raised).
    box : ipywidgets.VBox
        The page.
    """

    def __init__(self, kind: str, widget, room):
        from mlops_kit.app.room import anonymous_id

        w = import_ipywidgets(f"{kind}_page")
        self.kind = kind
        self.widget = widget
        self.room = room_from_env(room)
        self.anonymous = anonymous_id()
        self.name_input = w.Text(
            placeholder=f"your name (blank: {self.anonymous})", description="name"
        )
        self.submit_button = w.Button(description="Submit to the room", icon="paper-plane")
        self.status = w.HTML()
        self.submit_button.on_click(self._on_submit)
        self.name_input.add_class("mlops-kit-app-name")
        self.submit_button.add_class("mlops-kit-app-submit")
        self.status.add_class("mlops-kit-app-status")
        panel = w.HBox([self.name_input, self.submit_button])
        self.box = w.VBox([widget.box, panel, self.status])
        self.box.add_class(f"mlops-kit-app-{kind}")

    @property
    def participant(self) -> str:
        """The name typed, or the page's anonymous id."""
        return self.name_input.value.strip() or self.anonymous

    def submit(self) -> int:
        """Save the widget's current state to the room; returns the submission id."""
        if self.kind == "assess":
            a = self.widget.assessment
            sid = self.room.submit(
                self.participant, answers=self.widget.answers, team_size=self.widget.team_size
            )
            done = f"level {a.level} ({a.level_name})"
        else:
            if self.widget.error is not None:
                raise ValueError(self.widget.error)
            sid = self.room.submit(self.participant, roi=self.widget.inputs)
            done = f"ROI {self.widget.result.roi:.1f}x"
        self.status.value = f"<span>Submitted as {html.escape(self.participant)}: {done}.</span>"
        return sid

    def _on_submit(self, _button) -> None:
        try:
            self.submit()
        except Exception as exc:  # shown to the participant, never raised from a click
            self.status.value = (
                f"<span style='color:#b00'>Not submitted: {html.escape(str(exc))}</span>"
            )

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def _hide_file_actions(widget) -> None:
    # in a room the page runs on the trainer's machine: no writing files or runs there
    for name in ("save_button", "export_button", "path_input"):
        part = getattr(widget, name, None)
        if part is not None:
            part.layout.display = "none"


def assess_page(room=None) -> SubmitPage:
    """The maturity self-assessment with a "Submit to the room" panel.

    Parameters
    ----------
    room : str, Path or Room, optional
        The room folder (default ``$MLOPS_KIT_ROOM``).

    Examples
    --------
    >>> import tempfile
    >>> assess_page(tempfile.mkdtemp()).submit_button.description
    'Submit to the room'
    """
    from mlops_kit.maturity.widget import assessment_widget

    widget = assessment_widget()
    _hide_file_actions(widget)
    widget.level_label.add_class("mlops-kit-app-level")
    return SubmitPage("assess", widget, room)


def roi_page(room=None) -> SubmitPage:
    """The ROI calculator with a "Submit to the room" panel.

    Examples
    --------
    >>> import tempfile
    >>> page = roi_page(tempfile.mkdtemp())
    >>> page.name_input.value = "bob"
    >>> page.submit()
    1
    """
    from mlops_kit.roi.widget import roi_widget

    widget = roi_widget()
    widget.summary.add_class("mlops-kit-app-roi-summary")
    return SubmitPage("roi", widget, room)


class RoomPage:
    """The room's results with a Refresh button. Build it with :func:`room_page`.

    Attributes
    ----------
    result : RoomResult
        The results at the last refresh.
    table : ipywidgets.HTML
        Summary and one row per participant (class ``mlops-kit-app-room-table``).
    chart : ipywidgets.Image
        The distribution of levels (PNG).
    weakest : ipywidgets.HTML
        The weakest dimensions across the room.
    refresh_button : ipywidgets.Button
    box : ipywidgets.VBox
    """

    def __init__(self, room=None):
        w = import_ipywidgets("room_page")
        self.room = room_from_env(room)
        self.result = None
        self.table = w.HTML()
        self.weakest = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="480px"))
        self.refresh_button = w.Button(description="Refresh", icon="refresh")
        self.refresh_button.on_click(lambda _b: self.refresh())
        self.table.add_class("mlops-kit-app-room-table")
        self.weakest.add_class("mlops-kit-app-room-weakest")
        self.chart.add_class("mlops-kit-app-room-chart")
        self.refresh_button.add_class("mlops-kit-app-refresh")
        self.box = w.VBox([self.refresh_button, self.table, w.HBox([self.chart, self.weakest])])
        self.box.add_class("mlops-kit-app-room")
        self.refresh()

    def refresh(self) -> None:
        """Read the room again and redraw."""
        from mlops_kit._figures import figure_png

        r = self.room.results()
        self.result = r
        self.table.value = r._repr_html_()
        items = "".join(
            f"<li>{html.escape(d['name'])}: {d['mean_score']:.2f} "
            f"({d['answered_by']} answered)</li>"
            for d in r.weakest()
        )
        self.weakest.value = f"<b>Weakest dimensions</b><ol>{items}</ol>" if items else ""
        self.chart.value = figure_png(lambda ax: r.plot(ax=ax), figsize=(5, 3))

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)


def room_page(room=None) -> RoomPage:
    """The room's results: participants, levels, weakest dimensions and ROI, with Refresh.

    Examples
    --------
    >>> import tempfile
    >>> room_page(tempfile.mkdtemp()).result.summary()
    'Room: no submissions yet'
    """
    return RoomPage(room)
