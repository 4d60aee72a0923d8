"""What a cadre row of an import does to the directory; shared by the validation
(``cadres``) and the writes (``services``)."""
CREATE, UPDATE, TRANSFER, ASSIGN = "create", "update", "transfer", "assign"
