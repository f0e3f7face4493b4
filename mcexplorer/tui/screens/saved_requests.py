"""What the explorer does with saved requests: a helper the screen composes.

`SavedRequests` loads the collection into the sidebar's tree, opens a saved request in
the composer (variables resolved through the collection's layers) and marks it "●"
while the composer differs from the file, saves / renames / duplicates / deletes
(asking before anything is overwritten or removed), and starts a new request. A
composer that now holds another operation than the file it came from is saved as a new
request, never over that file. File work runs in thread workers.

The collection edits are imported where they are used: they pull in the engine and
httpx (~100 ms), which the explorer's first paint must not wait for.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from textual import work
from textual.widget import Widget

from mcexplorer.core.atomic import SaveError
from mcexplorer.core.collections.format import REQUEST_SUFFIX, SavedRequest, SecretRefused
from mcexplorer.core.collections.store import (
    Collection,
    CollectionItem,
    SaveConflict,
    file_name_for,
)
from mcexplorer.core.http.draft import Draft, SavedOrigin
from mcexplorer.core.http.request import ApiRequest, RequestInvalid
from mcexplorer.tui.dialogs.confirm import ConfirmDialog
from mcexplorer.tui.screens.save_request import SaveRequestScreen, SaveTarget
from mcexplorer.tui.widgets.collection_tree import DIRTY_MARK, CollectionTree
from mcexplorer.tui.widgets.composer import Composer

if TYPE_CHECKING:
    from mcexplorer.core.catalog.model import Catalog
    from mcexplorer.core.collections.variables import ResolvedValue

# The failures a collection action reports to the user (each names the file and the cause).
_IO_ERRORS = (SecretRefused, SaveError, ValueError, OSError)


class SavedRequests(Widget):
    """No look of its own: it drives the composer and the collection tree."""

    DEFAULT_CSS = "SavedRequests { display: none; }"

    def __init__(self, catalog: Callable[[], Catalog | None], profile: Callable[[], str | None]):
        super().__init__(id="saved-requests")
        self._catalog = catalog
        self._profile = profile
        self.folder: Path | None = None  # None: the user data dir
        self.collection: Collection | None = None
        self.opened: CollectionItem | None = None  # the saved request the composer came from
        self._baseline: ApiRequest | None = None  # what the composer built right after opening
        self._variables: dict[str, str] = {}

    @property
    def composer(self) -> Composer:
        return self.screen.query_one(Composer)

    @property
    def collection_tree(self) -> CollectionTree:
        return self.screen.query_one(CollectionTree)

    # ----- the collection --------------------------------------------------------------

    def reload(self) -> None:
        self._load_collection(self.folder)

    @work(thread=True, exclusive=True, group="collection-load", exit_on_error=False)
    def _load_collection(self, folder: Path | None) -> None:
        if folder is None:
            from mcexplorer.core.collections.edits import default_collections_path

            folder = default_collections_path()
            folder.mkdir(parents=True, exist_ok=True)
        try:
            collection = Collection.load(folder)
        except OSError as exc:
            self.app.call_from_thread(self._collection_loaded, None, str(exc))
            return
        self.app.call_from_thread(self._collection_loaded, collection, "")

    def _collection_loaded(self, collection: Collection | None, problem: str) -> None:
        self.collection = collection
        if self.opened is not None and collection is not None:
            self.opened = collection.find(str(self.opened.rel))
        self.collection_tree.show_collection(collection, problem)
        self.check_dirty()

    def choose(self, item: CollectionItem) -> None:
        """Open a saved request, asking first if the composer has unsaved changes."""
        self._unless_unsaved(lambda: self.open_saved(item))

    def _unless_unsaved(self, then: Callable[[], None]) -> None:
        if self.opened is None or not self.is_dirty:
            then()
            return
        name = self.opened.rel.as_posix().removesuffix(REQUEST_SUFFIX)
        question = f"{name} has unsaved changes in the composer. Discard them?"
        self.app.push_screen(
            ConfirmDialog(question, "Discard"), lambda yes: then() if yes else None
        )

    def open_saved(self, item: CollectionItem) -> None:
        """Fill the composer from a saved request, its variables resolved; the names no
        layer gives a value are listed (and refused if still there at Send)."""
        assert self.collection is not None
        from mcexplorer.core.collections.environments import VariableOptions, load_variables
        from mcexplorer.core.collections.variables import VariableRefused, Variables

        try:
            options = VariableOptions(environ=dict(os.environ), profile=self._profile())
            variables = load_variables(self.collection.root, options)
        except (VariableRefused, ValueError, OSError) as exc:
            self.notify(f"Variables not used: {exc}", severity="warning", markup=False)
            variables = Variables()
        resolution = variables.resolve(item.saved)
        self._variables = variables.merged()
        req = resolution.request
        catalog = self._catalog()
        op = catalog.get(req.method, req.path) if catalog else None
        composer = self.composer
        composer.variables_note = _variables_note(resolution.values, resolution.unresolved)
        composer.load_draft(Draft.from_request(req, op, set(composer.trigger_names)))
        self._set_opened(item)

    def _set_opened(self, item: CollectionItem | None) -> None:
        self.opened = item
        composer = self.composer
        origin = None
        if item is not None:
            saved = item.saved.request
            origin = SavedOrigin(str(item.rel), saved.method.upper(), saved.path)
        else:
            composer.variables_note = ""
        composer.draft.origin = origin
        self._baseline = self._built() if item is not None else None
        composer.set_class(item is not None, "-saved")
        self.check_dirty()

    def new_request(self) -> None:
        """An empty composer, attached to no saved request."""

        def clear() -> None:
            self.composer.load_draft(Draft())
            self._set_opened(None)
            self.composer.focus_path()

        self._unless_unsaved(clear)

    def _built(self) -> ApiRequest | None:
        try:
            return self.composer.build()
        except RequestInvalid:
            return None

    @property
    def is_dirty(self) -> bool:
        return self.opened is not None and self._built() != self._baseline

    def check_dirty(self) -> None:
        composer = self.composer
        if self.opened is None:
            composer.border_title = None
            composer.remove_class("-dirty")
            self.collection_tree.set_dirty(None)
            return
        dirty = self.is_dirty
        name = self.opened.rel.as_posix().removesuffix(REQUEST_SUFFIX)
        other = (
            " (another operation: F4 saves a new request)"
            if composer.draft.differs_from_origin()
            else ""
        )
        composer.border_title = f"{name} {DIRTY_MARK} unsaved{other}" if dirty else name
        composer.set_class(dirty, "-dirty")
        self.collection_tree.set_dirty(self.opened.rel if dirty else None)

    # ----- saving ----------------------------------------------------------------------

    def _composer_request(self) -> ApiRequest | None:
        composer = self.composer
        try:
            return composer.build()
        except RequestInvalid as exc:
            composer.show_issues(exc.issues)
            self.notify("Fix the composer first: " + str(exc), severity="error", markup=False)
            return None

    def _default_name(self, req: ApiRequest) -> str:
        catalog = self._catalog()
        op = catalog.get(req.method, req.path) if catalog else None
        if op is not None:
            return f"{op.tag}/" + file_name_for(op.sdk_method).removesuffix(REQUEST_SUFFIX)
        return file_name_for(f"{req.method} {req.path}").removesuffix(REQUEST_SUFFIX)

    def save(self) -> None:
        """Save over the opened request; ask for a name when none is open, or when the
        composer now holds another operation (that is a new request, not an edit)."""
        req = self._composer_request()
        if req is None:
            return
        opened, collection = self.opened, self.collection
        if opened is None or collection is None:
            self.save_as(req)
            return
        if self.composer.draft.differs_from_origin():
            name = opened.rel.as_posix().removesuffix(REQUEST_SUFFIX)
            self.notify(
                f"The composer holds another operation than {name}: save it as a new request.",
                markup=False,
            )
            self.save_as(req, fresh=True)
            return
        from mcexplorer.core.collections.edits import unresolve_request

        to_save = unresolve_request(opened.saved.request, self._variables, req)
        saved = SavedRequest(to_save, opened.saved.description, opened.saved.assertions)
        self._save(opened.rel, saved, force=False, open_after=True)

    def save_current_as(self) -> None:
        req = self._composer_request()
        if req is not None:
            self.save_as(req, fresh=self.composer.draft.differs_from_origin())

    def save_as(self, req: ApiRequest, *, open_after: bool = True, fresh: bool = False) -> None:
        """Ask for a name, then save `req` there (asking before overwriting a file)."""
        if self.collection is None:
            self.notify("No collection is loaded; see the Saved tab.", severity="error")
            return
        if self.opened is not None and open_after and not fresh:
            name = self.opened.rel.as_posix().removesuffix(REQUEST_SUFFIX)
            description = self.opened.saved.description
        else:
            name, description = self._default_name(req), ""

        def named(target: SaveTarget | None) -> None:
            if target is not None:
                saved = SavedRequest(req, target.description)
                self._save(target.rel, saved, force=False, open_after=open_after, new=True)

        self.app.push_screen(SaveRequestScreen("Save request as", name, description), named)

    def _save(
        self,
        rel: PurePosixPath,
        saved: SavedRequest,
        *,
        force: bool,
        open_after: bool,
        new: bool = False,
    ) -> None:
        collection = self.collection
        assert collection is not None
        opened = self.opened

        def write() -> CollectionItem | None:
            # Collection.save refuses only files changed since loading: a new name must
            # also not land on another saved request unasked.
            replacing_other = opened is None or opened.rel != rel or new
            if new and not force and replacing_other and (collection.root / rel).exists():
                raise SaveConflict(f"{collection.root / rel} already exists.")
            return collection.save(str(rel), saved, force=force)

        def done(item: CollectionItem | None) -> None:
            if item is not None:
                self.notify(f"Saved {collection.root / item.rel}", markup=False)
                if open_after:
                    self._variables = {}
                    self._set_opened(item)

        def overwrite() -> None:
            self._save(rel, saved, force=True, open_after=open_after)

        self._collection_io(write, done, overwrite)

    @work(thread=True, group="collection-io", exit_on_error=False)
    def _collection_io(
        self,
        change: Callable[[], CollectionItem | None],
        done: Callable[[CollectionItem | None], None],
        overwrite: Callable[[], None] | None = None,
    ) -> None:
        """Run one change to the collection's files, then redraw the tree (or say why not)."""
        try:
            item = change()
        except SaveConflict as exc:
            if overwrite is not None:
                self.app.call_from_thread(self._ask_overwrite, str(exc), overwrite)
            else:
                self.app.call_from_thread(self.failed, str(exc))
            return
        except _IO_ERRORS as exc:
            self.app.call_from_thread(self.failed, str(exc))
            return
        self.app.call_from_thread(self._changed, item, done)

    def _changed(
        self, item: CollectionItem | None, done: Callable[[CollectionItem | None], None]
    ) -> None:
        self.collection_tree.show_collection(self.collection)
        done(item)
        self.check_dirty()

    def failed(self, text: str) -> None:
        self.notify(text, severity="error", timeout=10, markup=False)

    def _ask_overwrite(self, reason: str, overwrite: Callable[[], None]) -> None:
        question = f"{reason}\n\nOverwrite it with what the composer holds?"
        dialog = ConfirmDialog(question, "Overwrite")
        self.app.push_screen(dialog, lambda yes: overwrite() if yes else None)

    # ----- rename, duplicate, delete ---------------------------------------------------

    def _target_item(self) -> CollectionItem | None:
        # The tree's cursor when working in the tree, else the request open in the composer.
        tree = self.collection_tree
        item = (tree.selected_item or self.opened) if tree.has_focus else self.opened
        item = item or tree.selected_item
        if item is None or self.collection is None:
            self.notify("Select a saved request in the Saved tab first.", severity="warning")
            return None
        return item

    def rename(self) -> None:
        item = self._target_item()
        if item is None:
            return
        collection = self.collection
        assert collection is not None
        current = item.rel.as_posix().removesuffix(REQUEST_SUFFIX)

        def named(target: SaveTarget | None) -> None:
            if target is None:
                return

            from mcexplorer.core.collections.edits import rename_request

            def done(moved: CollectionItem | None) -> None:
                self.notify(f"Renamed to {target.rel.as_posix()}", markup=False)
                if moved is not None and self.opened is not None and self.opened.rel == item.rel:
                    self.opened = moved
                    self.composer.draft.origin = SavedOrigin(
                        str(moved.rel), moved.saved.request.method.upper(), moved.saved.request.path
                    )

            self._collection_io(lambda: rename_request(collection, item.rel, target.rel), done)

        dialog = SaveRequestScreen("Rename saved request", current, ask_description=False)
        self.app.push_screen(dialog, named)

    def duplicate(self) -> None:
        item = self._target_item()
        if item is None:
            return
        from mcexplorer.core.collections.edits import duplicate_request

        collection = self.collection
        assert collection is not None

        def done(copy: CollectionItem | None) -> None:
            if copy is not None:
                self.notify(f"Duplicated as {copy.rel.as_posix()}", markup=False)

        self._collection_io(lambda: duplicate_request(collection, item.rel), done)

    def delete(self) -> None:
        item = self._target_item()
        if item is None:
            return
        collection = self.collection
        assert collection is not None

        def done(_: CollectionItem | None) -> None:
            self.notify(f"Deleted {item.rel.as_posix()}", markup=False)
            if self.opened is not None and self.opened.rel == item.rel:
                self._set_opened(None)

        def remove() -> CollectionItem | None:
            from mcexplorer.core.collections.edits import delete_request

            delete_request(collection, item.rel)
            return None

        question = f"Delete {collection.root / item.rel}? The file is removed from disk."

        def answered(yes: bool | None) -> None:
            if yes:
                self._collection_io(remove, done)

        self.app.push_screen(ConfirmDialog(question, "Delete", danger=True), answered)

    def detach(self) -> None:
        """The composer holds something else now (a request from history): no file."""
        self._set_opened(None)


def _variables_note(values: Mapping[str, ResolvedValue], unresolved: tuple[str, ...]) -> str:
    parts = []
    if values:
        given = ", ".join(f"{name}={v.value}" for name, v in values.items())
        parts.append(f"variables: {given}")
    if unresolved:
        parts.append("no value for: " + ", ".join(unresolved))
    return "; ".join(parts)
