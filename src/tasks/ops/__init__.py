"""Operations: consistency checks over the whole database (after a crash or a load run)."""
