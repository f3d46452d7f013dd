#!/usr/bin/env bash
# What `xlsummary render --pdf` and the server's PDF need from Debian, installed only
# when missing: LibreOffice Writer, its UNO bindings (the server's kept-alive
# converters) and the free fonts that xlsummary's fontconfig file
# (src/xlsummary/pdf/fonts.conf) puts in place of the report's Windows faces:
#   Noto Serif CJK SC (宋体, 仿宋, 方正小标宋简体) and Noto Sans CJK SC (黑体): fonts-noto-cjk
#   AR PL UKai CN (楷体): fonts-arphic-ukai
#   Liberation Serif/Sans/Mono (Times New Roman, Arial, Courier New): fonts-liberation2
# Then it extracts the simplified-Chinese faces from Noto's collections (see below).
# Run it (as root) or source it; scripts/test.sh sources it. See docs/pdf.md.
pdf_need=()
[ -d /usr/lib/libreoffice/program ] && [ -e /usr/lib/libreoffice/program/libswlo.so ] \
  || pdf_need+=(libreoffice-writer-nogui)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || pdf_need+=(python3-uno)
pdf_has_font() { [ -n "$(fc-list "$1" family 2>/dev/null)" ]; }
command -v fc-list >/dev/null 2>&1 || pdf_need+=(fontconfig)
pdf_has_font "Noto Serif CJK SC" && pdf_has_font "Noto Sans CJK SC" || pdf_need+=(fonts-noto-cjk)
pdf_has_font "AR PL UKai CN" || pdf_need+=(fonts-arphic-ukai)
pdf_has_font "Liberation Serif" || pdf_need+=(fonts-liberation2)
if [ ${#pdf_need[@]} -gt 0 ]; then
  source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
  apt_get update -qq
  apt_get install -y -qq --no-install-recommends "${pdf_need[@]}"
fi
unset pdf_need
# The SC faces of Noto's collections as fonts of their own, so a PDF names them SC and
# not JP (src/xlsummary/pdf/sc_faces.py, standard library only: no virtualenv needed):
# written once, into /usr/local/share/xlsummary/fonts as root, else the user's folder
pdf_sc_faces="$(dirname "${BASH_SOURCE[0]}")/../src/xlsummary/pdf/sc_faces.py"
/usr/bin/python3 "$pdf_sc_faces" >/dev/null || /usr/bin/python3 "$pdf_sc_faces" --install >/dev/null
unset pdf_sc_faces
