"""Reports of what validation found and what a dataset holds, side by side.

- :mod:`.grouping`: the order in which every form lists its groups of issues;
- :mod:`.text`: the plain-text report, for a terminal or a file;
- :mod:`.json_writer`: the JSON report of the command-line contract;
- :mod:`.html_page`: the HTML page of ``indigo-standard report``, a self-contained triage tool;
- :mod:`.stats`: completeness statistics (fields, field groups, lists, notes and sources);
- :mod:`.quality`: errors counted by priority, per record, as the GO Lab data store counts them.

Each writer reads a :class:`~indigo_standard.validation.issue_store.StreamedReport` one
group at a time, so reports of any size are written in bounded memory; an in-memory
:class:`~indigo_standard.validation.result.Report` is written the same way.
"""
