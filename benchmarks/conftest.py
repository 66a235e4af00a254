"""This folder is a genbench benchmark: a pytest session that starts here runs the harness.

The genbench plugin is installed for every pytest run of this environment, but does its
session work (checking the settings, discovering the tree, claiming the outcome folder,
writing the workbook and the level) only where a conftest.py of the command line's folders
says so, as this one does.
"""

GENBENCH_BENCHMARK = True
