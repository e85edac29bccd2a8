"""Writing output: the last step of read -> validate -> report -> write.

- :mod:`.atomic`: atomic files and folders (a temporary file beside the target, renamed
  into place; removed on failure or interrupt; 0644 files and 0755 folders under the usual umask);
- :mod:`.targets`: outputs checked before any work (names that say a form, paths that can be written);
- :mod:`.json_files`: JSON and JSON Lines results of ``publish``, ``package`` and ``normalise``;
- :mod:`.convert`: the one table of output forms (JSON, JSON Lines, CSV folder, zip, XLSX,
  SQLite) and ``convert`` itself, reading any input and writing any form.

Each module is imported on its own: checking an output name loads no spreadsheet writer.
"""
