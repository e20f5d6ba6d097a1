"""Helpers the tests share: plain functions, classes and constants, a module per area.

Fixtures live in the ``conftest.py`` files, which hold nothing else: no test imports a conftest.

- ``backends``: the database backends the tests run on
- ``http``: the admin's password, bearer headers, the login form, users made through the API
- ``indicators``: reporting values and reading the scorecard
- ``ingest``: a data source pushing records through the gate
- ``stream``: actors on a running server and readers of its live stream
- ``simulation``: a simulator on a stand-in province, without a server
- ``servers``: real ``ioc57 serve`` processes
- ``pg``: a real PostgreSQL server
"""
