"""nbclient executes a notebook built with nbformat, on a kernel using this zmq."""

import importlib.util
import json
import time

import pytest

for _name in ("jupyter_client", "ipykernel", "nbclient", "nbformat"):
    # Not pytest.importorskip: it would also skip when the library is installed
    # but fails to import because this package lacks something it needs.
    if importlib.util.find_spec(_name) is None:
        pytest.skip(f"{_name} is not installed", allow_module_level=True)

import nbformat  # noqa: E402  (import errors here are test failures)
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError  # noqa: E402


def new_notebook(*sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# downstream test")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def execute(kernels, nb, **options):
    """Run nb as nbclient does by default: its own async kernel manager, shut
    down gracefully at the end. Return the kernel's Popen and the seconds
    from the last cell's completion to the end of the kernel shutdown."""
    seen = {}

    def on_start(notebook):
        seen["process"] = kernels.process(kernels.managers[-1])

    def on_cell_executed(cell, cell_index, execute_reply):
        seen["last_cell_done"] = time.monotonic()

    def on_complete(notebook):
        # nbclient runs this hook after the kernel shutdown.
        seen["shutdown_done"] = time.monotonic()

    client = NotebookClient(
        nb,
        kernel_name=kernels.KERNEL_NAME,
        kernel_manager_class=kernels.manager_class(asynchronous=True),
        timeout=kernels.REPLY_TIMEOUT,
        startup_timeout=kernels.REPLY_TIMEOUT,
        resources={"metadata": {"path": kernels.cwd}},
        on_notebook_start=on_start,
        on_cell_executed=on_cell_executed,
        on_notebook_complete=on_complete,
        **options,
    )
    client.execute()
    return seen["process"], seen["shutdown_done"] - seen["last_cell_done"]


def test_notebook_outputs(kernels):
    nb = new_notebook(
        "x = 6 * 7\nx",
        "print('hello', x)",
        "from IPython.display import HTML, display\ndisplay(HTML('<b>bold</b>'))",
        kernels.ZMQ_IDENTITY_CODE,
    )
    process, shutdown_seconds = execute(kernels, nb)

    result, printed, displayed, identity = (cell.outputs for cell in nb.cells[1:])
    assert [o.output_type for o in result] == ["execute_result"]
    assert result[0].data["text/plain"] == "42"
    assert result[0].execution_count == 1

    assert [(o.output_type, o.name, o.text) for o in printed] == [("stream", "stdout", "hello 42\n")]

    assert [o.output_type for o in displayed] == ["display_data"]
    assert displayed[0].data["text/html"] == "<b>bold</b>"
    assert "text/plain" in displayed[0].data

    assert json.loads(identity[0].text) == kernels.expected_zmq_identity()

    assert [cell.execution_count for cell in nb.cells[1:]] == [1, 2, 3, 4]
    nbformat.validate(nb)
    kernels.assert_exited_gracefully(process, shutdown_seconds)


def test_notebook_cell_error(kernels):
    nb = new_notebook("a = 1", "raise RuntimeError('cell failed')", "a + 1")
    with pytest.raises(CellExecutionError, match="cell failed"):
        execute(kernels, nb)
    error = nb.cells[2].outputs[0]
    assert (error.output_type, error.ename, error.evalue) == ("error", "RuntimeError", "cell failed")
    # Execution stops at the failing cell.
    assert nb.cells[3].outputs == []

    nb = new_notebook("a = 1", "raise RuntimeError('cell failed')", "a + 1")
    execute(kernels, nb, allow_errors=True)
    assert nb.cells[3].outputs[0].data["text/plain"] == "2"
