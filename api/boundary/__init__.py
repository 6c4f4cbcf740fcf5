"""The API's input boundary: the grammar of inputs, their bounds read from the models, and the extension
that checks every argument of every query and mutation (see ``check.guard_root_fields``)."""
