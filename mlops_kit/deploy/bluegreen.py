"""Blue-green deployment over registry aliases: two live servers, one ``live`` alias, a router.

:class:`BlueGreen` serves the version behind the ``blue`` alias and the
version behind the ``green`` alias in two real MLflow scoring processes, and
puts a :class:`~mlops_kit.deploy.router.Router` in front of them that sends
all traffic to the **live** side. Which side is live is the registry's
``live`` alias (its version), moved only through Step 1:

- :meth:`BlueGreen.switch` moves ``live`` to the other side with
  :func:`mlops_kit.tracking.promote` (who and why go to the alias history),
  then the router's weights, in one atomic step, so every request is answered
  by exactly one side;
- :meth:`BlueGreen.switch_back` moves it back instantly with
  :func:`mlops_kit.tracking.rollback` (recorded as a rollback), the old side
  still running and warm.

A governance policy stored on the model that requires approvals
(:mod:`mlops_kit.governance`) is checked before a switch, and before
``start()`` first puts the blue side live (no ``live`` alias yet): a version without
them is refused with :class:`~mlops_kit.errors.GateFailedError` naming the
model, the version and the policy, and traffic and aliases stay as they are.
A switch back (a rollback) is never blocked.

Before traffic moves, the target side must answer ``/ping``; otherwise
:class:`~mlops_kit.errors.DeploymentError` and nothing changes (no alias moved,
no history written). If the live side stops answering, the router fails its
requests over to the other side, which is still running (see
:mod:`mlops_kit.deploy.router`).

Notebooks use ``bg.predict(frame)`` (routed in-process); other clients post to
``bg.url + "/invocations"`` (the HTTP router); the response header
``X-Mlops-Kit-Upstream`` says which side answered and ``bg.versions`` which
version each side serves.

Examples
--------
>>> bg = BlueGreen("credit-risk")
>>> bg
BlueGreen(model_name='credit-risk')
>>> with BlueGreen("credit-risk").start() as bg:  # doctest: +SKIP
...     bg.switch(reason="v4 passed the gate")
...     bg.predict(X.head())
...     bg.switch_back(reason="latency alert")
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from mlops_kit._params import InstanceOf, Interval, Params, Predicate
from mlops_kit.deploy.router import Router
from mlops_kit.deploy.serving import serve
from mlops_kit.errors import DeploymentError, InputError

__all__ = ["BlueGreen"]

SIDES = ("blue", "green")
_ALIAS = Predicate(lambda v: isinstance(v, str) and bool(v.strip()), "an alias name")


class BlueGreen(Params):
    """Two live environments (blue and green) and an instant, recorded switch between them.

    Parameters
    ----------
    model_name : str
        Registered model.
    blue_alias, green_alias : str
        Aliases naming the version each side serves (``"blue"``, ``"green"``).
    live_alias : str, default "live"
        Alias of the side that takes traffic. If it is not set, or points to
        neither side, :meth:`start` sets it to the blue side (recorded).
    timeout : float, default 180
        Seconds to wait for each server to become healthy.
    user : str, optional
        Who switches (kept in the alias history); default ``$USER``.
    tracking_uri : str, optional
        Store to use.

    Attributes
    ----------
    servers : dict
        ``{"blue": ModelServer, "green": ModelServer}`` once started.
    router : Router
        The router in front of them (also started as an HTTP server).

    Examples
    --------
    >>> BlueGreen("credit-risk", green_alias="candidate")
    BlueGreen(model_name='credit-risk', green_alias='candidate')
    """

    _parameter_constraints = {
        "model_name": [Predicate(lambda v: isinstance(v, str) and bool(v.strip()), "a name")],
        "blue_alias": [_ALIAS],
        "green_alias": [_ALIAS],
        "live_alias": [_ALIAS],
        "timeout": [Interval(float, 0, None, closed="neither")],
        "user": [None, InstanceOf(str)],
        "tracking_uri": [None, InstanceOf(str)],
    }

    def __init__(
        self,
        model_name,
        blue_alias="blue",
        green_alias="green",
        live_alias="live",
        *,
        timeout=180.0,
        user=None,
        tracking_uri=None,
    ):
        self.model_name = model_name
        self.blue_alias = blue_alias
        self.green_alias = green_alias
        self.live_alias = live_alias
        self.timeout = timeout
        self.user = user
        self.tracking_uri = tracking_uri

    # -- lifecycle --------------------------------------------------------------------
    def start(self):
        """Start both servers (in parallel), point ``live``, start the router; return ``self``."""
        from mlops_kit.tracking import current, promote
        from mlops_kit.tracking.registry import check_alias
        from mlops_kit.tracking.store import resolve_tracking_uri

        self._validate_params()
        if self.__dict__.get("servers"):
            return self
        aliases = {"blue": self.blue_alias, "green": self.green_alias}
        for alias in (*aliases.values(), self.live_alias):
            check_alias(alias)
        if len({*aliases.values(), self.live_alias}) < 3:
            raise InputError.invalid(
                "live_alias", self.live_alias, "an alias different from blue_alias and green_alias"
            )
        uri = resolve_tracking_uri(self.tracking_uri)
        infos = {s: current(self.model_name, a, tracking_uri=uri) for s, a in aliases.items()}
        if infos["blue"].version == infos["green"].version:
            raise InputError.invalid(
                "green_alias",
                self.green_alias,
                f"an alias on another version than {self.blue_alias!r} "
                f"(both point to version {infos['blue'].version})",
                hint=f"Promote the new version to {self.green_alias!r} first.",
            )
        if self._live_version(uri) is None:  # start puts blue live: a deployment move
            self._require_approval(infos["blue"].version, uri, "Blue-green start")
        servers = self._start_servers({s: i.model_uri for s, i in infos.items()}, uri)
        try:
            self.servers = servers
            self.versions = {s: servers[s].version for s in SIDES}
            live = self._side_of(self._live_version(uri))
            if live is None:
                promote(
                    self.model_name,
                    self.versions["blue"],
                    self.live_alias,
                    reason="blue-green start: blue side is live",
                    user=self.user,
                    tracking_uri=uri,
                )
                live = "blue"
            self._uri = uri
            other = "green" if live == "blue" else "blue"
            self.router = Router(
                {s: servers[s].url for s in SIDES}, weights={live: 1}, fallback=other
            ).start()
        except BaseException:
            self.servers = {}
            for server in servers.values():
                server.stop()
            raise
        return self

    def _start_servers(self, uris: dict, tracking_uri: str) -> dict:
        started, errors = {}, []
        with ThreadPoolExecutor(2) as pool:
            futures = {
                s: pool.submit(serve, u, timeout=self.timeout, tracking_uri=tracking_uri)
                for s, u in uris.items()
            }
            for side, future in futures.items():
                try:
                    started[side] = future.result()
                except Exception as exc:
                    errors.append(exc)
        if errors:
            for server in started.values():
                server.stop()
            raise errors[0]
        return started

    def _live_version(self, uri):
        from mlops_kit.errors import AliasNotFoundError
        from mlops_kit.tracking import current

        try:
            return current(self.model_name, self.live_alias, tracking_uri=uri).version
        except AliasNotFoundError:
            return None

    def _side_of(self, version):
        for side in SIDES:
            if self.versions[side] == version:
                return side
        return None

    def _require_started(self):
        if not self.__dict__.get("servers"):
            raise DeploymentError("The blue-green deployment is not started: call .start().")

    def stop(self) -> None:
        """Stop the router and both servers (the registry is left as it is); idempotent."""
        router = self.__dict__.get("router")
        if router is not None:
            router.stop()
        for server in (self.__dict__.get("servers") or {}).values():
            server.stop()
        self.servers = {}

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # -- state ------------------------------------------------------------------------
    @property
    def live(self) -> str:
        """``"blue"`` or ``"green"``: the side taking traffic now."""
        self._require_started()
        shares = self.router.shares
        return max(SIDES, key=lambda s: shares[s])

    @property
    def url(self) -> str:
        """URL of the HTTP router in front of both sides."""
        self._require_started()
        return self.router.url

    # -- switching --------------------------------------------------------------------
    def _move_traffic(self, target: str, action: str, reason) -> dict:
        from mlops_kit.tracking import promote, rollback

        server = self.servers[target]
        if not server.ping():
            raise DeploymentError(
                f"The {target} side ({server.model_uri} at {server.url}) does not answer "
                f"/ping: traffic stays on {self.live}, alias {self.live_alias!r} unchanged."
            )
        before = self.live
        kwargs = {"reason": reason, "user": self.user, "tracking_uri": self._uri}
        if action == "promote":
            promote(self.model_name, self.versions[target], self.live_alias, **kwargs)
        else:
            rollback(self.model_name, self.live_alias, **kwargs)
        self.router.set_weights({target: 1}, check=False)  # atomic
        self.router.set_fallback(before)
        return {
            "action": action,
            "from_side": before,
            "to_side": target,
            "from_version": self.versions[before],
            "to_version": self.versions[target],
            "reason": reason,
        }

    def switch(self, reason: str | None = None) -> dict:
        """Send all traffic to the other side; move ``live`` there with :func:`promote`.

        Under a governance policy (:func:`mlops_kit.governance.set_policy`) with
        ``deployments``, the other side's version needs its approvals first:
        otherwise :class:`~mlops_kit.errors.GateFailedError` and nothing changes.

        Returns
        -------
        dict
            ``action``, ``from_side``, ``to_side``, ``from_version``,
            ``to_version``, ``reason``.

        Examples
        --------
        >>> bg.switch(reason="v4 passed the gate")["to_side"]  # doctest: +SKIP
        'green'
        """
        self._require_started()
        live = self.live
        other = "green" if live == "blue" else "blue"
        self._require_approval(
            self.versions[other],
            self._uri,
            "Blue-green switch",
            f"traffic stays on {live} (version {self.versions[live]}) and ",
        )
        return self._move_traffic(other, "promote", reason)

    def _require_approval(self, version, uri, action, kept="") -> None:
        """Raise :class:`GateFailedError` if the stored policy forbids ``version`` going live."""
        from mlops_kit.errors import GateFailedError
        from mlops_kit.governance.decisions import approval_needed

        why = approval_needed(
            self.model_name, version, self.live_alias, deployment=True, tracking_uri=uri
        )
        if why:
            again = "switch" if action.endswith("switch") else "start"
            raise GateFailedError(
                f"{action} refused: {why}. Nothing changed: {kept}alias {self.live_alias!r} "
                f"is unchanged. Record a decision with mlops_kit.governance.approve("
                f"{self.model_name!r}, {version}, by=...) and {again} again."
            )

    def switch_back(self, reason: str | None = None) -> dict:
        """Return traffic to the side that was live before; move ``live`` with :func:`rollback`.

        Raises DeploymentError, with nothing changed, when the version the
        alias history would roll back to is not one of the two sides.

        Examples
        --------
        >>> bg.switch_back(reason="error rate up")["to_side"]  # doctest: +SKIP
        'blue'
        """
        from mlops_kit.tracking.alias_history import rollback_target

        self._require_started()
        _, target_version = rollback_target(
            self.model_name, self.live_alias, tracking_uri=self._uri
        )
        target = self._side_of(target_version)
        if target is None or target == self.live:
            raise DeploymentError(
                f"Nothing to switch back to: the history of alias {self.live_alias!r} leads to "
                f"version {target_version}, and the sides serve {self.versions}. "
                "Use switch() to change sides."
            )
        return self._move_traffic(target, "rollback", reason)

    # -- traffic ----------------------------------------------------------------------
    def predict(self, frame, *, return_version: bool = False):
        """Score ``frame`` on the live side (routed in-process) and return the predictions.

        With ``return_version=True`` return ``(predictions, version that answered)``.

        Examples
        --------
        >>> bg.predict(X.head(), return_version=True)  # doctest: +SKIP
        (array([0, 1, 0, 0, 1]), 4)
        """
        self._require_started()
        predictions, side = self.router.predict(frame, return_upstream=True)
        return (predictions, self.versions[side]) if return_version else predictions

    def status(self):
        """A DataFrame, one row per side: alias, version, URL, PID, running, live, requests.

        Examples
        --------
        >>> bg.status()[["side", "version", "live"]]  # doctest: +SKIP
        """
        import pandas as pd

        self._require_started()
        stats = self.router.stats_dict()
        live = self.live
        aliases = {"blue": self.blue_alias, "green": self.green_alias}
        rows = []
        for side in SIDES:
            server = self.servers[side]
            rows.append(
                {
                    "side": side,
                    "alias": aliases[side],
                    "version": server.version,
                    "url": server.url,
                    "pid": server.pid,
                    "running": server.running,
                    "live": side == live,
                    "requests": stats[side]["requests"],
                }
            )
        return pd.DataFrame(rows)
