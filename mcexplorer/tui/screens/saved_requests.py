"""What the explorer does with saved requests and history, kept apart from its sending code.

`SavedRequestsScreen` is the explorer's base class: it loads the collection into the
sidebar's tree, opens a saved request in the composer and marks it "●" while the composer
differs from the file, saves / renames / duplicates / deletes (asking before anything is
overwritten or removed), and opens the history screen. File and SQLite work runs in thread workers.

The collection edits and the history store are imported where they are used: they pull in
the engine and httpx (~100 ms), which the explorer's first paint must not wait for.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Checkbox, Input, Select, TabbedContent

from mcexplorer.core.atomic import SaveError
from mcexplorer.core.collections.format import REQUEST_SUFFIX, SavedRequest, SecretRefused
from mcexplorer.core.collections.store import (
    Collection,
    CollectionItem,
    SaveConflict,
    file_name_for,
)
from mcexplorer.core.http.request import ApiRequest, RequestInvalid
from mcexplorer.tui.screens.save_request import ConfirmScreen, SaveRequestScreen, SaveTarget
from mcexplorer.tui.widgets.collection_tree import DIRTY_MARK, CollectionTree
from mcexplorer.tui.widgets.composer import Composer

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from mcexplorer.core.accounts.target import Target
    from mcexplorer.core.catalog.model import Catalog
    from mcexplorer.core.history.store import HistoryStore
    from mcexplorer.core.problems.glossary import Glossary

# The failures a collection action reports to the user (each names the file and the cause).
_IO_ERRORS = (SecretRefused, SaveError, ValueError, OSError)


class SavedRequestsScreen(Screen[None]):
    DEFAULT_CSS = """
    SavedRequestsScreen Composer.-saved {
        border-top: hkey $panel-lighten-1;
        border-title-color: $text-muted;
    }
    SavedRequestsScreen Composer.-dirty { border-title-color: #d7af5f; }
    """

    # Out of the footer (already full); the command palette lists them with their keys.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f4", "save_request", "Save", id="save-request", show=False),
        Binding("f5", "save_request_as", "Save as", id="save-request-as", show=False),
        Binding("f6", "history", "History", id="history", show=False),
    ]

    # Set by the app before the screen mounts; None means the user data dir.
    collections_dir: Path | None = None
    history_enabled: bool = True
    history_store: HistoryStore | None = None

    # Provided by the explorer.
    catalog: Catalog | None
    glossary: Glossary | None
    target: Target | None
    mask_volatile: bool

    collection: Collection | None = None
    opened: CollectionItem | None = None  # the saved request the composer was filled from
    _baseline: ApiRequest | None = None  # what the composer built right after opening it

    # ----- the collection --------------------------------------------------------------

    def on_mount(self) -> None:
        # After the first frame: the loader's thread would hold the GIL during the layout.
        self.call_after_refresh(self.action_reload_collection)

    def action_reload_collection(self) -> None:
        self._load_collection(self.collections_dir)

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
        self.query_one(CollectionTree).show_collection(collection, problem)
        self._check_dirty()

    def on_collection_tree_request_chosen(self, message: CollectionTree.RequestChosen) -> None:
        item = message.item
        if self.opened is None or not self.is_dirty:
            self.open_saved(item)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.open_saved(item)

        name = self.opened.rel.as_posix().removesuffix(REQUEST_SUFFIX)
        question = f"{name} has unsaved changes in the composer. Discard them?"
        self.app.push_screen(ConfirmScreen(question, "Discard"), answered)

    def open_saved(self, item: CollectionItem) -> None:
        """Fill the composer from a saved request (collection variables filled in)."""
        assert self.collection is not None
        req = self.collection.resolve(item)
        op = self.catalog.get(req.method, req.path) if self.catalog else None
        composer = self.query_one(Composer)
        composer.load_request(req, op)
        self._set_opened(item)

    def _set_opened(self, item: CollectionItem | None) -> None:
        self.opened = item
        composer = self.query_one(Composer)
        self._baseline = self._built(composer) if item is not None else None
        composer.set_class(item is not None, "-saved")
        self._check_dirty()

    @staticmethod
    def _built(composer: Composer) -> ApiRequest | None:
        try:
            return composer.build()
        except RequestInvalid:
            return None

    @property
    def is_dirty(self) -> bool:
        return self.opened is not None and self._built(self.query_one(Composer)) != self._baseline

    @on(Input.Changed, "#composer Input")
    @on(Select.Changed, "#composer Select")
    @on(Checkbox.Changed, "#composer Checkbox")
    def _composer_edited(self) -> None:
        if self.opened is not None:
            self.call_after_refresh(self._check_dirty)

    # By name, not @on: TextArea is imported only once the composer's body editor exists.
    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "body":
            self._composer_edited()

    def _check_dirty(self) -> None:
        composer = self.query_one(Composer)
        tree = self.query_one(CollectionTree)
        if self.opened is None:
            composer.border_title = None
            composer.remove_class("-dirty")
            tree.set_dirty(None)
            return
        dirty = self.is_dirty
        name = self.opened.rel.as_posix().removesuffix(REQUEST_SUFFIX)
        composer.border_title = f"{name} {DIRTY_MARK} unsaved" if dirty else name
        composer.set_class(dirty, "-dirty")
        tree.set_dirty(self.opened.rel if dirty else None)

    # ----- saving ----------------------------------------------------------------------

    def _composer_request(self) -> ApiRequest | None:
        composer = self.query_one(Composer)
        try:
            return composer.build()
        except RequestInvalid as exc:
            composer.show_issues(exc.issues)
            self.notify("Fix the composer first: " + str(exc), severity="error", markup=False)
            return None

    def _default_name(self, req: ApiRequest) -> str:
        op = self.catalog.get(req.method, req.path) if self.catalog else None
        if op is not None:
            return f"{op.tag}/" + file_name_for(op.sdk_method).removesuffix(REQUEST_SUFFIX)
        return file_name_for(f"{req.method} {req.path}").removesuffix(REQUEST_SUFFIX)

    def action_save_request(self) -> None:
        """Save over the opened request, or ask for a name when none is open."""
        req = self._composer_request()
        if req is None:
            return
        opened, collection = self.opened, self.collection
        if opened is None or collection is None:
            self.save_request_as(req)
            return
        from mcexplorer.core.collections.edits import unresolve_request

        original = opened.saved.request
        to_save = unresolve_request(original, collection.variables, req)
        saved = SavedRequest(to_save, opened.saved.description)
        self._save(opened.rel, saved, force=False, open_after=True)

    def action_save_request_as(self) -> None:
        req = self._composer_request()
        if req is not None:
            self.save_request_as(req, open_after=True)

    def save_request_as(self, req: ApiRequest, *, open_after: bool = True) -> None:
        """Ask for a name, then save `req` there (asking before overwriting a file)."""
        if self.collection is None:
            self.notify("No collection is loaded; see the Saved tab.", severity="error")
            return
        if self.opened is not None and open_after:
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

        def write() -> CollectionItem | None:
            # Collection.save refuses only files changed since loading: a new name must
            # also not land on another saved request unasked.
            replacing_other = self.opened is None or self.opened.rel != rel
            if new and not force and replacing_other and (collection.root / rel).exists():
                raise SaveConflict(f"{collection.root / rel} already exists.")
            return collection.save(str(rel), saved, force=force)

        def done(item: CollectionItem | None) -> None:
            if item is not None:
                self.notify(f"Saved {collection.root / item.rel}", markup=False)
                if open_after:
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
                self.app.call_from_thread(self._failed, str(exc))
            return
        except _IO_ERRORS as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._changed, item, done)

    def _changed(
        self, item: CollectionItem | None, done: Callable[[CollectionItem | None], None]
    ) -> None:
        self.query_one(CollectionTree).show_collection(self.collection)
        done(item)
        self._check_dirty()

    def _failed(self, text: str) -> None:
        self.notify(text, severity="error", timeout=10, markup=False)

    def _ask_overwrite(self, reason: str, overwrite: Callable[[], None]) -> None:
        def answered(yes: bool | None) -> None:
            if yes:
                overwrite()

        question = f"{reason}\n\nOverwrite it with what the composer holds?"
        self.app.push_screen(ConfirmScreen(question, "Overwrite"), answered)

    # ----- rename, duplicate, delete ---------------------------------------------------

    def _target_item(self) -> CollectionItem | None:
        # The tree's cursor when working in the tree, else the request open in the composer.
        tree = self.query_one(CollectionTree)
        item = (tree.selected_item or self.opened) if tree.has_focus else self.opened
        item = item or tree.selected_item
        if item is None or self.collection is None:
            self.notify("Select a saved request in the Saved tab first.", severity="warning")
            return None
        return item

    def action_rename_request(self) -> None:
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

            self._collection_io(lambda: rename_request(collection, item.rel, target.rel), done)

        dialog = SaveRequestScreen("Rename saved request", current, ask_description=False)
        self.app.push_screen(dialog, named)

    def action_duplicate_request(self) -> None:
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

    def action_delete_request(self) -> None:
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

        def answered(yes: bool | None) -> None:
            if yes:
                self._collection_io(remove, done)

        question = f"Delete {collection.root / item.rel}? The file is removed from disk."
        self.app.push_screen(ConfirmScreen(question, "Delete"), answered)

    def action_show_saved(self) -> None:
        self.query_one("#sidebar-tabs", TabbedContent).active = "tab-saved"
        self.query_one(CollectionTree).focus()

    # ----- history ---------------------------------------------------------------------

    def _store(self) -> HistoryStore | None:
        if not self.history_enabled:
            return None
        if self.history_store is None:
            from mcexplorer.core.history.store import HistoryStore

            self.history_store = HistoryStore()
        return self.history_store

    def action_history(self) -> None:
        from mcexplorer.tui.screens.history import HistoryScreen

        store = self._store()
        if store is None:
            self.notify("History is off for this session (started with --no-history).")
            return
        screen = HistoryScreen(
            store,
            glossary=self.glossary,
            on_resend=self.resend,
            on_save=lambda req: self.save_request_as(req, open_after=False),
            mask_volatile=self.mask_volatile,
        )
        self.app.push_screen(screen)

    def resend(self, req: ApiRequest) -> None:
        """Fill the composer with a request from history and send it."""
        op = self.catalog.get(req.method, req.path) if self.catalog else None
        composer = self.query_one(Composer)
        composer.load_request(req, op)
        self._set_opened(None)
        composer.post_message(Composer.SendRequested())  # the explorer sends what it holds
