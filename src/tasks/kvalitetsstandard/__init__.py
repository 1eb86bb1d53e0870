"""The municipality's kvalitetsstandard: its settings file and its versioned DMN decision tables
(sagsbehandlingsfrister, opfølgningskadence).
"""
