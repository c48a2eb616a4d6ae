"""Stage 2, fetch (the network edge): `plan.py` says what `refresh` would ask (pure), `executor.py` asks it
through the sources' clients (`clients/`, paced and retried by `policy.py`) and saves every answer to the
store as it arrives; `select.py` and `add.py` serve the `refresh` and `add` commands."""
