"""Import printed pages: `parser` reads the text (pure Python), `load` writes Articles."""
