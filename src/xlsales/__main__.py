from xlsales.cli import app

app(prog_name="xlsales")
