# The README's two commands, for those who have make.
.PHONY: run test translations screenshots

run:
	bash packaging/dev.sh demo

test:
	bash packaging/dev.sh test

translations:
	.venv/bin/python packaging/translations.py extract update compile

screenshots:
	QT_QPA_PLATFORM=offscreen .venv/bin/python docs/make_screenshots.py
