"""The checks: one `ast.parse` and one walk of the tree per file.

Names are resolved through the module's imports (`from jwt import decode` makes `decode` mean
`jwt.decode`), so a check matches what is called, not how it is spelled. What a check needs to
know about a whole function or module (parameters never read, objects added before a commit,
guards defined further down) is gathered during the walk and decided when it ends.
"""

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROUTE_METHODS = {"get", "post", "put", "patch", "delete", "api_route", "head", "options"}
SESSION_WORDS = ("session", "db")
PAGINATION = {"page", "size", "limit", "offset", "skip", "per_page", "page_size"}
SECRET_WORDS = ("secret", "password", "token", "api_key", "private_key")
INTERNAL_FIELDS = {"hashed_password", "password_hash"}
V1_METHODS = {"parse_obj", "parse_raw", "parse_file", "from_orm"}
V1_DICT_OPTIONS = {"include", "exclude", "by_alias", "exclude_unset", "exclude_defaults"}
FAST_DIGESTS = {f"hashlib.{name}" for name in ("md5", "sha1", "sha256", "sha512", "blake2b")}
JWT_CHECKS = {"verify_signature", "verify_exp", "verify_aud", "verify_iss", "verify_iat"}
SYNC_DB = {
    "sqlalchemy.create_engine",
    "sqlalchemy.orm.sessionmaker",
    "sqlalchemy.orm.Session",
    "psycopg2.connect",
    "sqlite3.connect",
}
TEST_CLIENTS = {"fastapi.testclient.TestClient", "starlette.testclient.TestClient"}


@dataclass(frozen=True, order=True)
class Finding:
    line: int
    col: int  # 1-based, as ruff counts
    code: str


@dataclass
class _Function:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    is_route: bool
    dependency_params: dict[str, ast.arg]  # parameters filled by `Depends(...)`
    loaded: set[str] = field(default_factory=set)
    added: set[str] = field(default_factory=set)  # passed to `session.add()`
    committed: bool = False  # an `await <session>.commit()` was seen
    yielded: set[str] = field(default_factory=set)
    from_header: set[str] = field(default_factory=set)  # names holding a token header's `alg`
    handler_names: list[str] = field(default_factory=list)  # `except ... as name` in scope
    returned_calls: list[ast.Return] = field(default_factory=list)  # `return f(...)`


def _dotted(node: ast.expr) -> str | None:
    """`a.b.c` for a chain of names and attributes, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _is_constant(node: ast.expr | None, value: object) -> bool:
    return (
        isinstance(node, ast.Constant) and type(node.value) is type(value) and node.value == value
    )


# What comes right before a value in SQL: a quote opening a literal, or an operator.
VALUE_CONTEXT_RE = re.compile(r"('|=|<|>|\blike|\bin\s*\(|,)\s*$", re.IGNORECASE)


def _formats_a_value(sql: ast.JoinedStr) -> bool:
    """True when an f-string puts something where SQL expects a value (`= '{name}'`), not an
    identifier (`CREATE SCHEMA "{schema}"`), which no parameter can bind."""
    first = sql.values[0] if sql.values else None
    if isinstance(first, ast.Constant) and str(first.value).lstrip().upper().startswith("SET "):
        return False  # PostgreSQL's SET takes no bind parameters
    before = ""
    for part in sql.values:
        if isinstance(part, ast.FormattedValue) and VALUE_CONTEXT_RE.search(before):
            return True
        before = str(part.value) if isinstance(part, ast.Constant) else ""
    return False


def _dict_keys(node: ast.Dict) -> dict[str, ast.expr]:
    return {
        k.value: v
        for k, v in zip(node.keys, node.values, strict=True)
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    }


class Checker(ast.NodeVisitor):
    def __init__(self, *, test_file: bool = False) -> None:
        # Tests and scripts may read the environment, create tables and skip the pre-ping.
        self.test_file = test_file
        self.findings: set[Finding] = set()
        self.imports: dict[str, str] = {}  # local name -> what it is
        self.functions: list[_Function] = []
        self.classes: list[ast.ClassDef] = []
        self.class_bases: dict[str, list[str]] = {}  # class name -> resolved base names
        self.class_nodes: dict[str, ast.ClassDef] = {}
        self.constants: dict[str, ast.expr] = {}  # module-level `NAME = value`
        self.type_checking_nodes: set[int] = set()  # ids of imports under `if TYPE_CHECKING:`
        self.class_config: dict[str, bool] = {}  # class name -> declares extra="forbid"
        self.model_fields: dict[str, list[ast.AnnAssign]] = {}
        self.guard_uses: list[tuple[str, ast.expr]] = []  # `dependencies=[Depends(f)]`
        self.bool_functions: set[str] = set()
        self.response_models: set[str] = set()
        self.runtime_annotation_names: set[str] = set()
        self.type_checking_imports: list[tuple[str, ast.stmt]] = []
        self.expiring_factory = False
        self.after_commit_reads: list[ast.expr] = []
        self.assigning: list[list[str]] = []  # the target names of the assignments being walked

    # -- the walk --------------------------------------------------------------------------
    # NodeVisitor finds the handler by name for every node and recurses through iter_fields;
    # here it is one dict lookup per node type and a direct loop over `_fields` (the walk is
    # lint's hot path). Field-less nodes (`Load`, `Store`, operators) have nothing to visit.

    def visit(self, node: ast.AST) -> None:
        kind = type(node)
        handler = _HANDLERS.get(kind)
        if handler is None:
            handler = _HANDLERS[kind] = getattr(
                Checker, f"visit_{kind.__name__}", Checker.generic_visit
            )
        handler(self, node)

    def generic_visit(self, node: ast.AST) -> None:
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST) and item._fields:
                        self.visit(item)
            elif isinstance(value, ast.AST) and value._fields:
                self.visit(value)

    # -- helpers ---------------------------------------------------------------------------

    def report(self, node: ast.expr | ast.stmt | ast.arg | ast.alias, code: str) -> None:
        self.findings.add(Finding(node.lineno, node.col_offset + 1, code))

    def resolve(self, node: ast.expr) -> str | None:
        """What a name or attribute chain refers to, through the module's imports."""
        dotted = _dotted(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = self.imports.get(head, head)
        return f"{target}.{rest}" if rest else target

    def _is(self, node: ast.expr, *names: str) -> bool:
        return self.resolve(node) in names

    def _is_basemodel(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        bases = self.class_bases.get(name, [])
        return any(
            base in {"pydantic.BaseModel", "pydantic_settings.BaseSettings"}
            or (
                base in self.class_bases
                and base not in seen
                and self._is_basemodel(base, seen | {name})
            )
            for base in bases
        )

    def _forbids_extra(self, name: str, seen: frozenset[str] = frozenset()) -> bool:
        if self.class_config.get(name):
            return True
        return any(
            base in self.class_bases
            and base not in seen
            and self._forbids_extra(base, seen | {name})
            for base in self.class_bases.get(name, [])
        )

    def _strings(self, node: ast.expr | None) -> set[str]:
        """The string constants of a list, tuple or set literal, or of a module constant
        bound to one (`REQUIRED_CLAIMS = ["exp", ...]`)."""
        if isinstance(node, ast.Name):
            node = self.constants.get(node.id)
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            return {
                e.value
                for e in node.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            }
        return set()

    @property
    def function(self) -> _Function | None:
        return self.functions[-1] if self.functions else None

    def _session_call(self, node: ast.expr, method: str) -> str | None:
        """The receiver's name when `node` is `<session>.<method>(...)` on a session-like name."""
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == method
            and isinstance(node.func.value, ast.Name)
        ):
            return node.func.value.id
        return None

    # -- imports ---------------------------------------------------------------------------

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.imports[alias.asname or alias.name.partition(".")[0]] = (
                alias.name if alias.asname else alias.name.partition(".")[0]
            )
            self._check_module(alias.name, alias)
        self._type_checking_import(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        for alias in node.names:
            self.imports[alias.asname or alias.name] = f"{module}.{alias.name}"
            if module == "__future__" and alias.name == "annotations":
                self.report(node, "RB101")
        if node.level == 0:
            self._check_module(module, node)
        self._type_checking_import(node)

    def _check_module(self, module: str, node: ast.alias | ast.ImportFrom) -> None:
        top = module.partition(".")[0]
        if top in {"passlib", "jose"}:
            self.report(node, "RB105")
        elif top == "psycopg2" and not self.test_file:  # a maintenance script may use it
            self.report(node, "RB104")

    def _type_checking_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if id(node) in self.type_checking_nodes:
            for alias in node.names:
                self.type_checking_imports.append((alias.asname or alias.name, node))

    def visit_If(self, node: ast.If) -> None:
        if self.resolve(node.test) in {"typing.TYPE_CHECKING", "TYPE_CHECKING"}:
            for statement in node.body:
                if isinstance(statement, ast.Import | ast.ImportFrom):
                    self.type_checking_nodes.add(id(statement))
        self.generic_visit(node)

    # -- definitions -----------------------------------------------------------------------

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = [self.resolve(base) or "" for base in node.bases]
        self.class_bases[node.name] = bases
        self.class_nodes[node.name] = node
        self.class_config[node.name] = False
        self.model_fields[node.name] = []
        self.classes.append(node)
        self.generic_visit(node)
        self.classes.pop()
        if self._is_basemodel(node.name):
            self._check_model(node)

    def _check_model(self, node: ast.ClassDef) -> None:
        for statement in node.body:
            if isinstance(statement, ast.ClassDef) and statement.name == "Config":
                self.report(statement, "RB401")
                for assign in statement.body:
                    if isinstance(assign, ast.Assign) and any(
                        isinstance(t, ast.Name) and t.id == "orm_mode" for t in assign.targets
                    ):
                        self.report(assign, "RB404")
        fields = self.model_fields[node.name]
        for ann in fields:
            self.runtime_annotation_names.update(
                n.id for n in ast.walk(ann.annotation) if isinstance(n, ast.Name)
            )
        if "pydantic_settings.BaseSettings" in self.class_bases[node.name]:
            for ann in fields:
                name = ann.target.id if isinstance(ann.target, ast.Name) else ""
                if (
                    any(word in name.lower() for word in SECRET_WORDS)
                    and _dotted(ann.annotation) == "str"
                ):
                    self.report(ann, "RB407")

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if self.classes and not self.functions:
            self.model_fields[self.classes[-1].name].append(node)
        self.generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        if self.classes and not self.functions:
            cls = self.classes[-1].name
            if isinstance(node.value, ast.Call) and self._is(
                node.value.func, "sqlalchemy.Column", "sqlalchemy.schema.Column"
            ):
                self.report(node, "RB306")
            if "model_config" in names and isinstance(node.value, ast.Call):
                self.class_config[cls] = _is_constant(_keyword(node.value, "extra"), "forbid")
        if not self.classes and not self.functions:
            self.constants.update((name, node.value) for name in names)
        if not self.classes and not self.functions and isinstance(node.value, ast.Call):
            callee = self.resolve(node.value.func) or ""
            if callee.rsplit(".", 1)[-1] in {"get_settings", "Settings"}:
                self.report(node, "RB504")
        # Names bound to a value that mentions "alg" (a token header's): visit_Constant adds them
        # while the walk is inside this value, rather than a second walk over it.
        self.assigning.append(names)
        self.generic_visit(node)
        self.assigning.pop()

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        route = self._route(node)
        if route is not None:
            self._check_route(node, route)
        if isinstance(node.returns, ast.Name | ast.Attribute) and _dotted(node.returns) == "bool":
            self.bool_functions.add(node.name)
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            if self._is(target, "pydantic.validator", "pydantic.root_validator"):
                self.report(decorator, "RB402")
            if isinstance(target, ast.Attribute) and target.attr == "on_event":
                self.report(decorator, "RB701")
            self.visit(decorator)
        params = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
        dependency_params = {a.arg: a for a in params if self._is_dependency(a)}
        if isinstance(node, ast.AsyncFunctionDef):
            for arg in params:
                if arg.annotation is not None and self._annotates_sync_session(arg.annotation):
                    self.report(arg, "RB301")
        if route is not None:
            self.runtime_annotation_names.update(
                n.id
                for a in params
                if a.annotation is not None
                for n in ast.walk(a.annotation)
                if isinstance(n, ast.Name)
            )
        scope = _Function(node, route is not None, dependency_params)
        if self.functions:
            scope.handler_names = list(self.functions[-1].handler_names)
        self.functions.append(scope)
        for child in [*node.args.defaults, *node.args.kw_defaults]:
            if child is not None:
                self.visit(child)
        for statement in node.body:
            self.visit(statement)
        self.functions.pop()
        if self.functions:
            self.functions[-1].loaded |= scope.loaded
        if route is not None:
            for name, arg in dependency_params.items():
                if name not in scope.loaded:
                    self.report(arg, "RB501")
        if self._returns_session(node) and not scope.yielded:
            for statement in scope.returned_calls:
                self.report(statement, "RB503")

    visit_FunctionDef = _visit_function
    visit_AsyncFunctionDef = _visit_function

    def _is_context_manager(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        managers = {"contextlib.contextmanager", "contextlib.asynccontextmanager"}
        return any(self.resolve(decorator) in managers for decorator in node.decorator_list)

    def _returns_session(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        returns = _dotted(node.returns) if node.returns is not None else None
        return returns is not None and returns.rsplit(".", 1)[-1] in {"AsyncSession", "Session"}

    def _annotates_sync_session(self, annotation: ast.expr) -> bool:
        if isinstance(annotation, ast.Subscript) and self._is(annotation.value, "typing.Annotated"):
            inner = annotation.slice
            annotation = inner.elts[0] if isinstance(inner, ast.Tuple) else inner
        return self.resolve(annotation) == "sqlalchemy.orm.Session"

    def _is_dependency(self, arg: ast.arg) -> bool:
        annotation = arg.annotation
        if isinstance(annotation, ast.Subscript) and self._is(annotation.value, "typing.Annotated"):
            inner = annotation.slice
            metadata = inner.elts[1:] if isinstance(inner, ast.Tuple) else []
            return any(
                isinstance(m, ast.Call) and self._is(m.func, "fastapi.Depends", "fastapi.Security")
                for m in metadata
            )
        return False

    def _route(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[str, ast.Call] | None:
        for decorator in node.decorator_list:
            if (
                isinstance(decorator, ast.Call)
                and isinstance(decorator.func, ast.Attribute)
                and decorator.func.attr in ROUTE_METHODS
                and decorator.args
            ):
                return decorator.func.attr, decorator
        return None

    def _check_route(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef, route: tuple[str, ast.Call]
    ) -> None:
        method, decorator = route
        response_model = _keyword(decorator, "response_model")
        if response_model is None and node.returns is None:
            self.report(node, "RB601")
        if isinstance(response_model, ast.Name):
            self.response_models.add(response_model.id)
        has_status = _keyword(decorator, "status_code") is not None
        if (
            method == "post"
            and not has_status
            and node.name.startswith(("create", "add", "register"))
        ):
            self.report(decorator, "RB603")
        if method == "delete" and not has_status:
            self.report(decorator, "RB604")
        guards = _keyword(decorator, "dependencies")
        for guard in guards.elts if isinstance(guards, ast.List) else []:
            if isinstance(guard, ast.Call) and guard.args and isinstance(guard.args[0], ast.Name):
                self.guard_uses.append((guard.args[0].id, guard))
        defaults = dict(
            zip(
                [a.arg for a in node.args.args][len(node.args.args) - len(node.args.defaults) :],
                node.args.defaults,
                strict=True,
            )
        )
        for arg in node.args.args:
            bare_int = arg.annotation is not None and _dotted(arg.annotation) == "int"
            if (
                arg.arg in PAGINATION
                and bare_int
                and isinstance(defaults.get(arg.arg), ast.Constant)
            ):
                self.report(arg, "RB606")

    # -- expressions -----------------------------------------------------------------------

    def visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Load):
            for function in self.functions:
                function.loaded.add(node.id)

    # RB702 reads of one variable: `os.environ["X"]`, `os.environ.get("X")`, `os.getenv("X")`,
    # `"X" in os.environ`. Writes and the whole environment handed on (`env=os.environ`,
    # `.copy()`, `.setdefault()`) are not configuration read.
    def _environ_read(self, node: ast.expr) -> None:
        if not self.test_file:
            self.report(node, "RB702")

    def visit_Subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load) and self.resolve(node.value) == "os.environ":
            self._environ_read(node.value)
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        for op, right in zip(node.ops, node.comparators, strict=True):
            if isinstance(op, ast.In | ast.NotIn) and self.resolve(right) == "os.environ":
                self._environ_read(right)
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr == "create_all" and not self.test_file:
            self.report(node, "RB307")
        function = self.function
        if (
            function is not None
            and function.committed
            and isinstance(node.value, ast.Name)
            and node.value.id in function.added
        ):
            self.after_commit_reads.append(node)
        self.generic_visit(node)

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        function = self.function
        if function is not None and node.name:
            function.handler_names.append(node.name)
        self.generic_visit(node)

    def visit_Yield(self, node: ast.Yield) -> None:
        function = self.function
        if function is not None and isinstance(node.value, ast.Name):
            function.yielded.add(node.value.id)
        self.generic_visit(node)

    def visit_Await(self, node: ast.Await) -> None:
        function = self.function
        receiver = self._session_call(node.value, "commit")
        if function is not None and receiver is not None:
            # A dependency is a bare generator; a context manager's caller decides when the
            # block ends (a worker's unit of work), so its commit is not after a response.
            if receiver in function.yielded and not self._is_context_manager(function.node):
                self.report(node, "RB310")
            function.committed = True
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        function = self.function
        value = node.value
        if function is not None:
            if isinstance(value, ast.Name) and function.committed and value.id in function.added:
                self.after_commit_reads.append(value)
            factory = _dotted(value.func) if isinstance(value, ast.Call) else None
            if factory is not None and "session" in factory.rsplit(".", 1)[-1].lower():
                function.returned_calls.append(node)  # `AsyncSessionLocal()`, not a mock
            errors = isinstance(value, ast.Dict) and _dict_keys(value).keys() & {"error", "errors"}
            if function.is_route and errors:
                self.report(node, "RB605")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if node.value == "alg" and self.assigning and self.function is not None:
            self.function.from_header.update(self.assigning[-1])
        # A URL, not the scheme alone (as a checker's own pattern names it).
        scheme = "postgresql+psycopg2://"
        if isinstance(node.value, str) and node.value.startswith(scheme) and node.value != scheme:
            self.report(node, "RB104")

    def visit_Call(self, node: ast.Call) -> None:
        callee = self.resolve(node.func) or ""
        function = self.function
        if callee in {"os.getenv", "os.environ.get"}:
            self._environ_read(node.func)
        if callee == "uvicorn.run":
            self.report(node, "RB103")
        elif callee in {
            "sqlalchemy.orm.declarative_base",
            "sqlalchemy.ext.declarative.declarative_base",
        }:
            self.report(node, "RB106")
        elif callee == "sqlalchemy.ext.asyncio.create_async_engine":
            self._check_engine(node)
        elif callee == "sqlalchemy.ext.asyncio.async_sessionmaker":
            if not _is_constant(_keyword(node, "expire_on_commit"), False):
                self.expiring_factory = True
                self.report(node, "RB304")
        elif callee == "asyncio.gather":
            receivers = [
                n.func.value.id
                for n in node.args
                if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute)
                and isinstance(n.func.value, ast.Name)
                and any(word in n.func.value.id.lower() for word in SESSION_WORDS)
            ]
            if len(receivers) != len(set(receivers)):
                self.report(node, "RB309")
        elif callee in TEST_CLIENTS and isinstance(
            getattr(function, "node", None), ast.AsyncFunctionDef
        ):
            self.report(node, "RB801")
        elif callee == "jwt.decode":
            self._check_jwt_decode(node)
        elif callee == "jwt.encode" and node.args and isinstance(node.args[0], ast.Dict):
            if "exp" not in _dict_keys(node.args[0]):
                self.report(node, "RB903")
        elif callee in FAST_DIGESTS and any(
            isinstance(n, ast.Name) and "password" in n.id.lower()
            for a in node.args
            for n in ast.walk(a)
        ):
            self.report(node, "RB906")
        elif callee in {"sqlalchemy.text", "sqlalchemy.sql.text"} and node.args:
            if isinstance(node.args[0], ast.JoinedStr) and _formats_a_value(node.args[0]):
                self.report(node, "RB907")
        elif callee == "fastapi.FastAPI":
            if _is_constant(_keyword(node, "debug"), True):
                self.report(node, "RB908")
            if _keyword(node, "max_body_size") is not None:
                self.report(node, "RB910")
        elif callee == "fastapi.HTTPException":
            self._check_detail(node)
        if callee in SYNC_DB and isinstance(getattr(function, "node", None), ast.AsyncFunctionDef):
            self.report(node, "RB302")
        cors = callee.endswith("CORSMiddleware") or any(
            (self.resolve(a) or "").endswith("CORSMiddleware") for a in node.args
        )
        credentials = _is_constant(_keyword(node, "allow_credentials"), True)
        if cors and credentials and "*" in self._strings(_keyword(node, "allow_origins")):
            self.report(node, "RB905")
        status = _keyword(node, "status_code")
        if callee == "fastapi.HTTPException" and node.args:
            status = node.args[0]
        web = callee.startswith(("fastapi.", "starlette.")) or (
            isinstance(node.func, ast.Attribute) and node.func.attr in ROUTE_METHODS
        )  # not a test double's `MagicMock(status_code=403)`
        if web and isinstance(status, ast.Constant) and isinstance(status.value, int):
            self.report(status, "RB602")
        if isinstance(node.func, ast.Attribute):
            self._check_method(node, node.func)
        self.generic_visit(node)

    def _check_method(self, node: ast.Call, func: ast.Attribute) -> None:
        receiver = _dotted(func.value) or ""
        last = receiver.rsplit(".", 1)[-1].lower()
        function = self.function
        if func.attr == "query" and any(word in last for word in SESSION_WORDS):
            self.report(node, "RB305")
        elif (func.attr in V1_METHODS and receiver[:1].isupper()) or (
            func.attr == "dict"
            and not node.args
            and {k.arg for k in node.keywords} <= V1_DICT_OPTIONS
            and receiver[:1].islower()
        ):
            self.report(node, "RB403")
        elif (
            func.attr == "add"
            and function is not None
            and any(word in last for word in SESSION_WORDS)
        ):
            function.added.update(a.id for a in node.args if isinstance(a, ast.Name))

    def _check_engine(self, node: ast.Call) -> None:
        url = node.args[0] if node.args else _keyword(node, "url")
        if isinstance(url, ast.Constant) and isinstance(url.value, str):
            if url.value.startswith("postgresql://"):
                self.report(url, "RB104")
            elif url.value.startswith("sqlite"):
                self.report(url, "RB802")
        pooled = not any(
            (self.resolve(k.value) or "").endswith("NullPool")
            for k in node.keywords
            if k.arg == "poolclass"
        )
        unpacked = any(k.arg is None for k in node.keywords)
        sqlite = isinstance(url, ast.Constant) and str(url.value).startswith("sqlite")
        ping = _keyword(node, "pool_pre_ping")  # a variable may well hold True: trust it
        pinged = ping is not None and not _is_constant(ping, False)
        if pooled and not unpacked and not sqlite and not pinged and not self.test_file:
            self.report(node, "RB308")

    def _check_jwt_decode(self, node: ast.Call) -> None:
        options = _keyword(node, "options")
        checks = _dict_keys(options) if isinstance(options, ast.Dict) else {}
        if "exp" not in self._strings(checks.get("require")):
            self.report(node, "RB901")
        if any(_is_constant(checks.get(check), False) for check in JWT_CHECKS):
            self.report(options or node, "RB902")
        algorithms = _keyword(node, "algorithms")
        listed = algorithms.elts if isinstance(algorithms, ast.List | ast.Tuple) else []
        header = self.function.from_header if self.function is not None else set()
        if algorithms is not None and any(
            isinstance(e, ast.Name) and e.id in header for e in listed
        ):
            self.report(algorithms, "RB904")

    def _check_detail(self, node: ast.Call) -> None:
        detail = _keyword(node, "detail")
        if detail is None and len(node.args) > 1:
            detail = node.args[1]
        function = self.function
        if detail is None or function is None:
            return
        if any(
            isinstance(n, ast.Name) and n.id in function.handler_names for n in ast.walk(detail)
        ):
            self.report(detail, "RB909")

    # -- the end of the module -------------------------------------------------------------

    def finish(self) -> None:
        if self.expiring_factory:
            for read in self.after_commit_reads:
                self.report(read, "RB303")
        for name, guard in self.guard_uses:
            if name in self.bool_functions:
                self.report(guard, "RB502")
        for name, import_node in self.type_checking_imports:
            if name in self.runtime_annotation_names:
                self.report(import_node, "RB102")
        for name, fields in self.model_fields.items():
            if not self._is_basemodel(name):
                continue
            if name.endswith(("Create", "Update")) and not self._forbids_extra(name):
                self.report(self.class_nodes[name], "RB405")
            if name in self.response_models or name.endswith(("Read", "Out", "Public", "Response")):
                for ann in fields:
                    if isinstance(ann.target, ast.Name) and ann.target.id in INTERNAL_FIELDS:
                        self.report(ann, "RB406")


_HANDLERS: dict[type[ast.AST], Callable[[Checker, Any], None]] = {}


def check_source(source: str, filename: str, *, test_file: bool = False) -> list[Finding]:
    """Every finding in one module's source. Raises SyntaxError when it does not parse."""
    tree = ast.parse(source, filename=filename)
    checker = Checker(test_file=test_file)
    checker.visit(tree)
    checker.finish()
    return sorted(checker.findings)
