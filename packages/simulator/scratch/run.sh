set -e
npx tsx --conditions=@cia/source scratch/seg.ts ${1:-default} | tail -4
npx tsx --conditions=@cia/source scratch/export.ts ${1:-default} ${2:-30000}
OMP_NUM_THREADS=1 /usr/bin/python3 scratch/learn.py scratch/train.csv | tail -3
