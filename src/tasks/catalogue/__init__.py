"""The kvalitetsstandard's catalogue beyond the DMN tables: the ydelser (paragraph, name, conditions,
serviceniveauer with their extent, målgrupper, frit valg, the visitationsudvalg's meeting day) and the
leverandør register.  Two JSON data files (``processes/kvalitetsstandard/ydelser.json`` and
``leverandoerer.json``), versioned like the tables: a procesejer deploys a new version through the API,
each change is validated (Danish errors naming the field) and checked against the tables in force, and an
earlier version can be made the one in force again.
"""
