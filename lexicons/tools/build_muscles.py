"""One-off generator of ``lexicons/muscles.yaml`` from the Human Reference Atlas muscle table.

Usage (from the repository root)::

    python lexicons/tools/build_muscles.py [SOURCE_TSV] [-o lexicons/muscles.yaml]

SOURCE_TSV defaults to ``../shared/data/muscles/muscles_source_flat.tsv`` (the flattened
"Muscular System, v1.1" ASCT+B table, CC BY 4.0). The table gives names, ontology ids, regions and
groups; the canonical clinical names, synonyms, abbreviations, project additions and groups below
are ours. The YAML it writes is the source of truth afterwards: edit the YAML, not this script,
unless you regenerate on purpose. The product never imports this file.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import textwrap
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SOURCE = Path("../shared/data/muscles/muscles_source_flat.tsv")
DEFAULT_OUTPUT = Path("lexicons/muscles.yaml")

REGIONS = {
    "abdomen muscle": "abdomen",
    "back muscle": "back",
    "chest muscle": "chest",
    "cranial muscle": "head",
    "neck muscle": "neck",
    "arm muscle": "upper limb",
    "leg muscle": "lower limb",
}

# HRA group -> our group label (typos fixed, "muscle" dropped).
GROUP_NAMES = {
    "lateral compartmet of leg muscle": "lateral compartment of leg",
    "muscle of facial expression": "facial expression",
    "hypothenar hand muscle": "hypothenar compartment of hand",
}

# HRA name -> canonical clinical name, where dropping " muscle" is not enough.
NAME_OVERRIDES = {
    "abdominal external oblique muscle": "external oblique",
    "internal abdominal oblique muscle": "internal oblique",
    "scalenus anterior muscle": "anterior scalene",
    "scalenus medius muscle": "middle scalene",
    "scalenus posterior muscle": "posterior scalene",
    "tibalis anterior muscle": "tibialis anterior",
    "tibalis posterior muscle": "tibialis posterior",
    "splenius capitus muscle": "splenius capitis",
    "longus capitus muscle": "longus capitis",
    "rectus capitus anterior muscle": "rectus capitis anterior",
    "rectus capitius posterior minor muscle": "rectus capitis posterior minor",
    "tensor fascia latae muscle": "tensor fasciae latae",
    "respiratory diaphragm muscle": "diaphragm",
    "transverse muscle": "transversus linguae",
    "vertical muscle": "verticalis linguae",
    "ciliary muscle": "ciliaris",
    "dilator pupillae muscle": "dilator pupillae",
    "iliocostalis cervicalis muscle": "iliocostalis cervicis",
    "interspinales cervicalis muscle": "interspinales cervicis",
    "inferior oblique extraocular muscle": "inferior oblique of eye",
    "inferior rectus extraocular muscle": "inferior rectus of eye",
    "lateral rectus extra-ocular muscle": "lateral rectus of eye",
    "medial rectus extraocular muscle": "medial rectus of eye",
    "superior oblique extraocular muscle": "superior oblique of eye",
    "superior rectus extraocular muscle": "superior rectus of eye",
    "deep transverse perineal muscle": "deep transverse perineal",
    "superficial transverse perineal muscle": "superficial transverse perineal",
    "subcostal muscle": "subcostales",
}

# HRA muscle rows that we file under a parent (the parent is a project addition).
PARENTS = {
    "anterior-scalene": "scalenes",
    "middle-scalene": "scalenes",
    "posterior-scalene": "scalenes",
    "multifidus-cervicis": "multifidus",
    "multifidus-thoracis": "multifidus",
    "multifidus-lumborum": "multifidus",
    "iliocostalis-cervicis": "iliocostalis",
    "iliocostalis-thoracis": "iliocostalis",
    "iliocostalis-lumborum": "iliocostalis",
    "longissimus-capitis": "longissimus",
    "longissimus-cervicis": "longissimus",
    "longissimus-thoracis": "longissimus",
    "spinalis-capitis": "spinalis",
    "spinalis-cervicis": "spinalis",
    "spinalis-thoracis": "spinalis",
    "semispinalis-capitis": "semispinalis",
    "semispinalis-cervicis": "semispinalis",
    "semispinalis-thoracis": "semispinalis",
    "rotatores-cervicis": "rotatores",
    "rotatores-thoracis": "rotatores",
}

# HRA muscle_part rows we keep: HRA name -> canonical name (the parent comes from the table).
PARTS = {
    "descending part of trapezius muscle": "upper trapezius",
    "transverse part of trapezius muscle": "middle trapezius",
    "ascending part of trapezius muscle": "lower trapezius",
    "clavicular part of deltoid muscle": "anterior deltoid",
    "acromial part of deltoid muscle": "middle deltoid",
    "spinal part of deltoid muscle": "posterior deltoid",
    "long head of biceps brachii muscle": "long head of biceps brachii",
    "short head of biceps brachii muscle": "short head of biceps brachii",
    "long head of triceps brachii muscle": "long head of triceps brachii",
    "lateral head of triceps brachii muscle": "lateral head of triceps brachii",
    "medial head of triceps brachii muscle": "medial head of triceps brachii",
    "humeral head of flexor carpi ulnaris muscle": "humeral head of flexor carpi ulnaris",
    "ulnar head of flexor carpi ulnaris muscle": "ulnar head of flexor carpi ulnaris",
    "humero-ulnar head of flexor digitorum superficialis muscle": (
        "humero-ulnar head of flexor digitorum superficialis"
    ),
    "radial head of flexor digitorum superficialis muscle": (
        "radial head of flexor digitorum superficialis"
    ),
    "humeral head of pronator teres muscle": "humeral head of pronator teres",
    "ulnar head of pronator teres muscle": "ulnar head of pronator teres",
    "humeral head of extensor carpi ulnaris muscle": "humeral head of extensor carpi ulnaris",
    "ulnar head of extensor carpi ulnaris muscle": "ulnar head of extensor carpi ulnaris",
    "oblique head of adductor pollicis muscle": "oblique head of adductor pollicis",
    "transverse head of adductor pollicis muscle": "transverse head of adductor pollicis",
    "superficial head of flexor pollicis brevis muscle": (
        "superficial head of flexor pollicis brevis"
    ),
    "deep head of flexor pollicis brevis muscle": "deep head of flexor pollicis brevis",
    "clavicular head of pectoralis major muscle": "clavicular head of pectoralis major",
    "sternocostal head of pectoralis major muscle": "sternocostal head of pectoralis major",
    "abdominal part of pectoralis major muscle": "abdominal part of pectoralis major",
    "clavicular head of sternocleidomastoid muscle": "clavicular head of sternocleidomastoid",
    "sternal head of sternocleidomastoid muscle": "sternal head of sternocleidomastoid",
    "superficial part of masseter muscle": "superficial masseter",
    "deep part of masseter muscle": "deep masseter",
    "superior head of lateral pterygoid muscle": "superior head of lateral pterygoid",
    "inferior head of lateral pterygoid muscle": "inferior head of lateral pterygoid",
    "frontal belly of occipitofrontalis muscle": "frontalis",
    "occipital belly of occipitofrontalis muscle": "occipitalis",
    "anterior belly of digastric muscle": "anterior digastric",
    "posterior belly of digastric muscle": "posterior digastric",
    "superior belly of omohyoid muscle": "superior belly of omohyoid",
    "inferior belly of omohyoid muscle": "inferior belly of omohyoid",
    "straight head of rectus femoris muscle": "straight head of rectus femoris",
    "reflected head of rectus femoris muscle": "reflected head of rectus femoris",
    "hamstring portion of adductor magnus muscle": "hamstring part of adductor magnus",
    "medial head of gastrocnemius muscle": "medial gastrocnemius",
    "lateral head of gastrocnemius muscle": "lateral gastrocnemius",
    "long head of biceps femoris muscle": "long head of biceps femoris",
    "short head of biceps femoris muscle": "short head of biceps femoris",
    "oblique head of adductor hallucis muscle": "oblique head of adductor hallucis",
    "transverse head of adductor hallucis muscle": "transverse head of adductor hallucis",
}

# Muscles clinicians needle or name that the table lacks (or lists only by part).
ADDITIONS: list[dict[str, Any]] = [
    {"name": "scalenes", "region": "neck", "group": "lateral vertebral"},
    {"name": "multifidus", "region": "back", "group": "transversospinales"},
    {"name": "iliocostalis", "region": "back", "group": "erector spinae"},
    {"name": "longissimus", "region": "back", "group": "erector spinae"},
    {"name": "spinalis", "region": "back", "group": "erector spinae"},
    {"name": "semispinalis", "region": "back", "group": "transversospinales"},
    {"name": "rotatores", "region": "back", "group": "transversospinales"},
    {"name": "rhomboid", "region": "back", "group": "superficial back"},
    {"name": "longus colli", "region": "neck", "group": "anterior vertebral"},
    {"name": "iliopsoas", "region": "lower limb", "group": "anterior compartment of thigh"},
    {
        "name": "vastus medialis obliquus",
        "region": "lower limb",
        "group": "anterior compartment of thigh",
        "parent": "vastus-medialis",
    },
    {"name": "abductor digiti minimi of foot", "region": "lower limb", "group": "sole of foot"},
]

# Case-insensitive phrases, by muscle id. The loader adds the canonical name, the plural or
# singular of the last word and hyphen/space variants; "X of Y" also gets "X of the Y" here.
SYNONYMS: dict[str, list[str]] = {
    # --- neck
    "trapezius": ["trap", "traps"],
    "upper-trapezius": [
        "upper trap",
        "upper traps",
        "upper fibers of trapezius",
        "upper fibres of trapezius",
        "upper trapezius fibers",
        "upper trapezius fibres",
        "trapezius upper fibers",
        "trapezius upper fibres",
        "upper fibers trapezius",
        "upper portion of trapezius",
        "upper part of trapezius",
        "descending trapezius",
        "descending part of trapezius",
        "descending fibers of trapezius",
        "superior trapezius",
        "superior trap",
        "superior fibers of trapezius",
        "trapezius pars descendens",
    ],
    "middle-trapezius": [
        "middle trap",
        "mid trap",
        "mid traps",
        "mid trapezius",
        "middle fibers of trapezius",
        "middle fibres of trapezius",
        "middle trapezius fibers",
        "trapezius middle fibers",
        "mid fibers of trapezius",
        "middle portion of trapezius",
        "transverse trapezius",
        "transverse part of trapezius",
        "transverse fibers of trapezius",
        "trapezius pars transversa",
    ],
    "lower-trapezius": [
        "lower trap",
        "low trap",
        "lower fibers of trapezius",
        "lower fibres of trapezius",
        "lower trapezius fibers",
        "trapezius lower fibers",
        "lower portion of trapezius",
        "ascending trapezius",
        "ascending part of trapezius",
        "ascending fibers of trapezius",
        "inferior trapezius",
        "inferior trap",
        "inferior fibers of trapezius",
        "trapezius pars ascendens",
    ],
    "levator-scapulae": [
        "levator",
        "levator scap",
        "levator scapula",
        "levator scapuli",
        "lev scap",
        "lev scapulae",
        "lev scapula",
        "levator of scapula",
    ],
    "sternocleidomastoid": [
        "sternocleido",
        "sterno-cleido-mastoid",
        "sternomastoid",
        "sternocleidomastoideus",
        "sterno cleidomastoid",
        "sternocleidmastoid",
    ],
    "clavicular-head-of-sternocleidomastoid": [
        "clavicular head of scm",
        "clavicular scm",
        "clavicular sternocleidomastoid",
        "clavicular division of sternocleidomastoid",
        "cleidomastoid",
        "scm clavicular head",
        "sternocleidomastoid clavicular head",
    ],
    "sternal-head-of-sternocleidomastoid": [
        "sternal head of scm",
        "sternal scm",
        "sternal sternocleidomastoid",
        "sternal division of sternocleidomastoid",
        "scm sternal head",
        "sternocleidomastoid sternal head",
    ],
    "scalenes": ["scalene", "scalenus", "scaleni", "scalene complex", "scalene group"],
    "anterior-scalene": [
        "scalenus anterior",
        "scalenus anticus",
        "anterior scalenus",
        "scalene anterior",
        "ant scalene",
    ],
    "middle-scalene": [
        "scalenus medius",
        "mid scalene",
        "middle scalenus",
        "medial scalene",
        "scalene medius",
        "scalene middle",
    ],
    "posterior-scalene": [
        "scalenus posterior",
        "scalenus posticus",
        "posterior scalenus",
        "scalene posterior",
        "post scalene",
    ],
    "longus-colli": ["longus coli", "longus cervicis"],
    "longus-capitis": ["longus capitus"],
    "rectus-capitis-anterior": ["rectus capitus anterior"],
    "rectus-capitis-lateralis": ["rectus capitus lateralis"],
    "splenius-capitis": ["splenius capitus", "splenius cap", "splenius of head"],
    "splenius-cervicis": ["splenius cervicus", "splenius colli", "splenius of neck"],
    "semispinalis": ["semispinalis group"],
    "semispinalis-capitis": [
        "semispinalis capitus",
        "semispinalis cap",
        "semi spinalis capitis",
        "semispinalis of head",
    ],
    "semispinalis-cervicis": ["semispinalis cervicus", "semi spinalis cervicis"],
    "semispinalis-thoracis": ["semi spinalis thoracis"],
    "rectus-capitis-posterior-major": [
        "rectus capitus posterior major",
        "rectus capitis major",
        "rcp major",
        "rcpmaj",
    ],
    "rectus-capitis-posterior-minor": [
        "rectus capitus posterior minor",
        "rectus capitius posterior minor",
        "rectus capitis minor",
        "rcp minor",
        "rcpmin",
    ],
    "obliquus-capitis-inferior": [
        "inferior oblique",
        "oblique capitis inferior",
        "obliquus capitus inferior",
        "inferior obliquus capitis",
        "inferior capitis oblique",
    ],
    "obliquus-capitis-superior": [
        "superior oblique",
        "oblique capitis superior",
        "obliquus capitus superior",
        "superior obliquus capitis",
        "superior capitis oblique",
    ],
    "platysma": ["platysma myoides"],
    "digastric": ["digastricus"],
    "anterior-digastric": ["anterior belly of digastric", "digastric anterior belly"],
    "posterior-digastric": ["posterior belly of digastric", "digastric posterior belly"],
    "omohyoid": ["omohyoideus"],
    # --- head
    "temporalis": ["temporal muscle"],
    "superficial-masseter": [
        "superficial part of masseter",
        "superficial head of masseter",
        "masseter superficial",
        "superficial layer of masseter",
    ],
    "deep-masseter": [
        "deep part of masseter",
        "deep head of masseter",
        "masseter deep",
        "deep layer of masseter",
    ],
    "medial-pterygoid": ["internal pterygoid", "pterygoideus medialis", "med pterygoid"],
    "lateral-pterygoid": ["external pterygoid", "pterygoideus lateralis", "lat pterygoid"],
    "superior-head-of-lateral-pterygoid": [
        "superior lateral pterygoid",
        "upper lateral pterygoid",
        "upper head of lateral pterygoid",
        "superior belly of lateral pterygoid",
        "lateral pterygoid superior head",
    ],
    "inferior-head-of-lateral-pterygoid": [
        "inferior lateral pterygoid",
        "lower lateral pterygoid",
        "lower head of lateral pterygoid",
        "inferior belly of lateral pterygoid",
        "lateral pterygoid inferior head",
    ],
    "occipitofrontalis": ["epicranius", "occipito-frontalis"],
    "frontalis": ["frontal belly of occipitofrontalis", "frontal belly of epicranius"],
    "occipitalis": ["occipital belly of occipitofrontalis", "occipital belly of epicranius"],
    "corrugator-supercilii": ["corrugator"],
    "orbicularis-oculi": ["orbicularis oculus"],
    "zygomaticus-major": ["zygomatic major"],
    "zygomaticus-minor": ["zygomatic minor"],
    "inferior-oblique-of-eye": ["inferior oblique extraocular", "obliquus inferior bulbi"],
    "superior-oblique-of-eye": ["superior oblique extraocular", "obliquus superior bulbi"],
    "inferior-rectus-of-eye": ["inferior rectus extraocular"],
    "superior-rectus-of-eye": ["superior rectus extraocular"],
    "lateral-rectus-of-eye": ["lateral rectus extraocular", "lateral rectus extra-ocular"],
    "medial-rectus-of-eye": ["medial rectus extraocular"],
    "ciliaris": ["ciliary muscle"],
    "transversus-linguae": ["transverse muscle of tongue"],
    "verticalis-linguae": ["vertical muscle of tongue"],
    "musculus-uvulae": ["uvular muscle"],
    # --- back
    "latissimus-dorsi": [
        "lats",
        "lat dorsi",
        "latissimus",
        "latissimus dorsae",
        "latissimus dorsii",
        "latisimus dorsi",
    ],
    "rhomboid": ["rhomboids", "rhomboideus", "rhomboidei"],
    "rhomboid-major": ["rhomboideus major", "major rhomboid", "rhomboid maj", "rhomboids major"],
    "rhomboid-minor": ["rhomboideus minor", "minor rhomboid", "rhomboid min", "rhomboids minor"],
    "serratus-posterior-superior": ["serratus posterior superior", "superior serratus posterior"],
    "serratus-posterior-inferior": ["serratus posterior inferior", "inferior serratus posterior"],
    "multifidus": ["multifidi", "multifidis", "multifid", "multifidus group"],
    "multifidus-cervicis": [
        "cervical multifidus",
        "cervical multifidi",
        "multifidus cervical",
        "cervical multifid",
    ],
    "multifidus-thoracis": [
        "thoracic multifidus",
        "thoracic multifidi",
        "multifidus thoracic",
    ],
    "multifidus-lumborum": [
        "lumbar multifidus",
        "lumbar multifidi",
        "multifidus lumbar",
        "lumbosacral multifidus",
        "lumbosacral multifidi",
        "lumbar multifid",
    ],
    "iliocostalis": ["iliocostal", "iliocostalis group"],
    "iliocostalis-lumborum": [
        "lumbar iliocostalis",
        "iliocostalis lumbar",
        "iliocostalis lumborum",
    ],
    "iliocostalis-thoracis": ["thoracic iliocostalis", "iliocostalis thoracic"],
    "iliocostalis-cervicis": [
        "cervical iliocostalis",
        "iliocostalis cervicalis",
        "iliocostalis colli",
    ],
    "longissimus": ["longissimus group", "longisimus"],
    "longissimus-thoracis": [
        "thoracic longissimus",
        "longissimus thoracic",
        "longissimus dorsi",
        "lumbar longissimus",
        "longissimus lumborum",
    ],
    "longissimus-cervicis": ["cervical longissimus", "longissimus cervical"],
    "longissimus-capitis": ["longissimus capitus", "longissimus cap"],
    "spinalis": ["spinalis group"],
    "spinalis-thoracis": ["thoracic spinalis", "spinalis dorsi"],
    "spinalis-cervicis": ["cervical spinalis", "spinalis colli"],
    "spinalis-capitis": ["spinalis capitus"],
    "rotatores": ["rotator muscles of spine"],
    "rotatores-cervicis": ["cervical rotatores", "cervical rotator"],
    "rotatores-thoracis": ["thoracic rotatores", "thoracic rotator"],
    "interspinales-cervicis": ["interspinales cervicalis", "cervical interspinales"],
    "interspinales-thoracis": ["thoracic interspinales"],
    "interspinales-lumborum": ["lumbar interspinales", "lumbar interspinalis"],
    # --- chest and abdomen
    "pectoralis-major": [
        "pec major",
        "pect major",
        "pec maj",
        "pectoralis maj",
        "pectoral major",
    ],
    "pectoralis-minor": [
        "pec minor",
        "pect minor",
        "pec min",
        "pectoralis min",
        "pectoral minor",
    ],
    "clavicular-head-of-pectoralis-major": [
        "clavicular pec",
        "clavicular pec major",
        "clavicular pectoralis major",
        "clavicular head of pec major",
        "clavicular portion of pectoralis major",
        "clavicular fibers of pectoralis major",
        "pec major clavicular head",
        "pectoralis major clavicular head",
    ],
    "sternocostal-head-of-pectoralis-major": [
        "sternal pec",
        "sternal pec major",
        "sternal pectoralis major",
        "sternocostal pec major",
        "sternocostal pectoralis major",
        "sternal head of pectoralis major",
        "sternal head of pec major",
        "sternocostal head of pec major",
        "sternal portion of pectoralis major",
        "sternal fibers of pectoralis major",
        "pec major sternal head",
        "pectoralis major sternal head",
    ],
    "abdominal-part-of-pectoralis-major": [
        "abdominal head of pectoralis major",
        "abdominal part of pec major",
        "abdominal portion of pectoralis major",
    ],
    "serratus-anterior": [
        "serratus",
        "serratus ant",
        "serratus anterior",
        "serratus anticus",
        "serratus magnus",
        "serratus ventralis",
    ],
    "subclavius": ["subclavian muscle"],
    "subcostales": ["subcostalis", "subcostal muscles"],
    "diaphragm": ["respiratory diaphragm", "thoracic diaphragm", "diaphragma"],
    "external-intercostal": ["external intercostals"],
    "internal-intercostal": ["internal intercostals"],
    "innermost-intercostal": ["innermost intercostals"],
    "levator-costarum": ["levatores costarum", "levator costae"],
    "transversus-thoracis": ["transverse thoracis", "triangularis sterni"],
    "external-oblique": [
        "abdominal external oblique",
        "external abdominal oblique",
        "obliquus externus abdominis",
        "obliquus externus",
        "ext oblique",
        "external oblique abdominis",
    ],
    "internal-oblique": [
        "internal abdominal oblique",
        "abdominal internal oblique",
        "obliquus internus abdominis",
        "obliquus internus",
        "int oblique",
        "internal oblique abdominis",
    ],
    "rectus-abdominis": ["rectus abdominus", "rectus abdominal", "rectus abs"],
    "transversus-abdominis": [
        "transverse abdominis",
        "transversus abdominus",
        "transverse abdominus",
        "transverse abdominal",
    ],
    "quadratus-lumborum": [
        "quadratus",
        "quadratus lumborus",
        "quadratus lumbar",
        "quad lumborum",
    ],
    # --- upper limb
    "deltoid": ["delt", "delts", "deltoideus"],
    "anterior-deltoid": [
        "anterior delt",
        "ant delt",
        "front delt",
        "front deltoid",
        "clavicular deltoid",
        "clavicular part of deltoid",
        "anterior fibers of deltoid",
        "anterior fibres of deltoid",
        "deltoid anterior",
        "deltoid anterior fibers",
        "anterior deltoid fibers",
    ],
    "middle-deltoid": [
        "middle delt",
        "mid delt",
        "mid deltoid",
        "lateral delt",
        "lateral deltoid",
        "side delt",
        "acromial deltoid",
        "acromial part of deltoid",
        "middle fibers of deltoid",
        "middle fibres of deltoid",
        "deltoid middle fibers",
        "middle deltoid fibers",
    ],
    "posterior-deltoid": [
        "posterior delt",
        "post delt",
        "rear delt",
        "rear deltoid",
        "spinal deltoid",
        "spinal part of deltoid",
        "posterior fibers of deltoid",
        "posterior fibres of deltoid",
        "deltoid posterior",
        "deltoid posterior fibers",
        "posterior deltoid fibers",
    ],
    "supraspinatus": ["supra", "supraspinous", "supra spinatus", "supraspinatous", "supraspinatis"],
    "infraspinatus": ["infra", "infraspinous", "infra spinatus", "infraspinatous", "infraspinatis"],
    "teres-minor": ["teres min"],
    "teres-major": ["teres maj"],
    "subscapularis": ["subscap", "sub scap", "subscapularus"],
    "coracobrachialis": ["coraco-brachialis"],
    "biceps-brachii": ["biceps", "bicep", "bicep brachii", "biceps brachialis"],
    "long-head-of-biceps-brachii": [
        "long head of biceps",
        "long head biceps",
        "biceps long head",
        "bicep long head",
        "long head of bicep",
        "biceps brachii long head",
    ],
    "short-head-of-biceps-brachii": [
        "short head of biceps",
        "short head biceps",
        "biceps short head",
        "bicep short head",
        "short head of bicep",
        "biceps brachii short head",
    ],
    "triceps-brachii": ["triceps", "tricep"],
    "long-head-of-triceps-brachii": [
        "long head of triceps",
        "long head triceps",
        "triceps long head",
        "tricep long head",
        "long head of tricep",
    ],
    "lateral-head-of-triceps-brachii": [
        "lateral head of triceps",
        "lateral head triceps",
        "triceps lateral head",
        "lateral triceps",
    ],
    "medial-head-of-triceps-brachii": [
        "medial head of triceps",
        "medial head triceps",
        "triceps medial head",
        "medial triceps",
    ],
    "brachioradialis": ["brachio radialis", "brachioradialus"],
    "extensor-carpi-radialis-longus": [
        "ext carpi radialis longus",
        "extensor carpi rad longus",
        "extensor carpi radialis long",
    ],
    "extensor-carpi-radialis-brevis": [
        "ext carpi radialis brevis",
        "extensor carpi rad brevis",
        "extensor carpi radialis short",
    ],
    "extensor-carpi-ulnaris": ["ext carpi ulnaris"],
    "extensor-digitorum": [
        "extensor digitorum communis",
        "ext digitorum communis",
        "common digital extensor",
        "extensor digitorum of hand",
    ],
    "extensor-digiti-minimi": ["extensor digiti quinti", "extensor digiti minimi proprius"],
    "extensor-indicis": ["extensor indicis proprius"],
    "extensor-pollicis-longus": ["ext pollicis longus"],
    "extensor-pollicis-brevis": ["ext pollicis brevis"],
    "abductor-pollicis-longus": ["abd pollicis longus"],
    "flexor-carpi-radialis": ["flex carpi radialis"],
    "flexor-carpi-ulnaris": ["flex carpi ulnaris"],
    "flexor-digitorum-superficialis": [
        "flexor digitorum sublimis",
        "flexor digitorum superficialis",
        "flex digitorum superficialis",
    ],
    "flexor-digitorum-profundus": ["flex digitorum profundus"],
    "flexor-pollicis-longus": ["flex pollicis longus"],
    "palmaris-longus": ["palmaris"],
    "pronator-quadratus": ["pronator quad"],
    "abductor-pollicis-brevis": ["abd pollicis brevis"],
    "abductor-digiti-minimi-of-hand": [
        "abductor digiti minimi manus",
        "hand abductor digiti minimi",
        "abductor digiti quinti of hand",
    ],
    "flexor-digiti-minimi-brevis": ["flexor digiti minimi", "flexor digiti quinti brevis"],
    "dorsal-interosseous-of-hand": [
        "dorsal interosseous",
        "dorsal interossei",
        "dorsal interossei of hand",
        "hand dorsal interossei",
        "dorsal interosseous of hand",
        "first dorsal interosseous",
        "first dorsal interossei",
        "1st dorsal interosseous",
        "1st dorsal interossei",
        "first dorsal interosseus",
    ],
    "palmar-interosseous": ["palmar interossei", "volar interossei", "volar interosseous"],
    "lumbrical-of-hand": ["lumbricals of hand", "hand lumbricals", "lumbricales manus"],
    # --- lower limb
    "gluteus-maximus": [
        "glute max",
        "glute maximus",
        "gluteus max",
        "gmax",
        "g max",
        "glut max",
        "gluteal maximus",
    ],
    "gluteus-medius": [
        "glute med",
        "glute medius",
        "gluteus med",
        "gmed",
        "g med",
        "glut med",
        "gluteal medius",
        "gluteus medias",
    ],
    "gluteus-minimus": [
        "glute min",
        "glute minimus",
        "gluteus min",
        "gmin",
        "g min",
        "glut min",
        "gluteal minimus",
    ],
    "tensor-fasciae-latae": [
        "tensor fascia lata",
        "tensor fascia latae",
        "tensor fasciae lata",
        "tensor fascie latae",
    ],
    "piriformis": ["piri", "pyriformis", "piriformus"],
    "superior-gemellus": ["gemellus superior"],
    "inferior-gemellus": ["gemellus inferior"],
    "obturator-internus": ["obturator int", "obturator internis"],
    "obturator-externus": ["obturator ext", "obturator externis"],
    "quadratus-femoris": ["quadratus fem"],
    "iliopsoas": ["ilio-psoas", "iliopsoas complex"],
    "psoas-major": ["psoas", "psoas maj"],
    "psoas-minor": ["psoas min"],
    "iliacus": ["iliac muscle"],
    "rectus-femoris": ["rec fem", "rectus fem", "rectus femoralis"],
    "vastus-lateralis": ["vastus lat", "vastus lateralus", "lateral vastus"],
    "vastus-medialis": ["vastus med", "vastus medialus", "medial vastus"],
    "vastus-medialis-obliquus": [
        "vastus medialis oblique",
        "vastus medialis oblique fibers",
        "oblique vastus medialis",
    ],
    "vastus-intermedius": ["vastus intermedialis", "vastus int"],
    "straight-head-of-rectus-femoris": [
        "direct head of rectus femoris",
        "rectus femoris straight head",
        "rectus femoris direct head",
    ],
    "reflected-head-of-rectus-femoris": [
        "indirect head of rectus femoris",
        "rectus femoris reflected head",
        "rectus femoris indirect head",
    ],
    "sartorius": ["sartorious"],
    "gracilis": ["gracillis"],
    "pectineus": ["pectinius"],
    "adductor-longus": ["add longus", "adductor long"],
    "adductor-brevis": ["add brevis"],
    "adductor-magnus": ["add magnus", "adductor magnis"],
    "hamstring-part-of-adductor-magnus": [
        "hamstring portion of adductor magnus",
        "hamstring head of adductor magnus",
        "ischiocondylar adductor magnus",
        "ischiocondylar part of adductor magnus",
        "posterior adductor magnus",
    ],
    "biceps-femoris": [
        "biceps fem",
        "bicep femoris",
        "lateral hamstring",
        "biceps femorus",
    ],
    "long-head-of-biceps-femoris": [
        "biceps femoris long head",
        "long head biceps femoris",
        "long head of bicep femoris",
    ],
    "short-head-of-biceps-femoris": [
        "biceps femoris short head",
        "short head biceps femoris",
        "short head of bicep femoris",
    ],
    "semitendinosus": ["semitendinosis", "semitendonosus", "semi-tendinosus", "semitend"],
    "semimembranosus": ["semimembranosis", "semi-membranosus", "semimem", "semimembranous"],
    "tibialis-anterior": [
        "anterior tibialis",
        "tib anterior",
        "tib ant",
        "tibialis ant",
        "anterior tib",
        "tibialis anticus",
        "tibalis anterior",
        "anterior tibial muscle",
    ],
    "tibialis-posterior": [
        "posterior tibialis",
        "tib post",
        "tib posterior",
        "tibialis post",
        "posterior tib",
        "tibialis posticus",
        "tibalis posterior",
        "posterior tibial muscle",
    ],
    "fibularis-longus": [
        "peroneus longus",
        "peroneal longus",
        "fibular longus",
        "peroneous longus",
        "peronius longus",
    ],
    "fibularis-brevis": [
        "peroneus brevis",
        "peroneal brevis",
        "fibular brevis",
        "peroneous brevis",
        "peronius brevis",
    ],
    "fibularis-tertius": ["peroneus tertius", "peroneal tertius", "fibular tertius"],
    "extensor-digitorum-longus": ["ext digitorum longus"],
    "extensor-hallucis-longus": ["ext hallucis longus", "extensor hallicus longus"],
    "extensor-digitorum-brevis": ["extensor digitorum brevis pedis", "ext digitorum brevis"],
    "extensor-hallucis-brevis": ["ext hallucis brevis"],
    "gastrocnemius": [
        "gastroc",
        "gastrocs",
        "gastrocnemious",
        "gastrocnemeus",
    ],
    "medial-gastrocnemius": [
        "medial gastroc",
        "med gastroc",
        "medial head of gastrocnemius",
        "medial head of gastroc",
        "gastrocnemius medial head",
        "gastroc medial head",
        "gastrocnemius medialis",
    ],
    "lateral-gastrocnemius": [
        "lateral gastroc",
        "lat gastroc",
        "lateral head of gastrocnemius",
        "lateral head of gastroc",
        "gastrocnemius lateral head",
        "gastroc lateral head",
        "gastrocnemius lateralis",
    ],
    "soleus": ["solius"],
    "popliteus": ["poplitius", "popliteal muscle"],
    "flexor-hallucis-longus": ["flex hallucis longus", "flexor hallicus longus"],
    "flexor-digitorum-longus": ["flex digitorum longus"],
    "abductor-hallucis": ["abd hallucis", "abductor hallicus"],
    "flexor-digitorum-brevis": ["flexor digitorum brevis of foot"],
    "quadratus-plantae": ["flexor accessorius", "quadratus plantaris"],
    "flexor-hallucis-brevis": ["flexor hallicus brevis"],
    "abductor-digiti-minimi-of-foot": [
        "abductor digiti minimi",
        "abductor digiti minimi pedis",
        "foot abductor digiti minimi",
        "abductor digiti quinti",
        "abductor digiti quinti of foot",
    ],
    "dorsal-interosseous-of-foot": [
        "dorsal interossei of foot",
        "foot dorsal interossei",
        "dorsal interossei pedis",
    ],
    "plantar-interosseous": ["plantar interossei"],
    "lumbrical-of-foot": ["lumbricals of foot", "foot lumbricals", "lumbricales pedis"],
}

# Case-sensitive single tokens. Never side words or other common clinical abbreviations
# (LT, RT, MT, LS, GM, TA, RF, VL, IT, PT, ST, PL, SA, ...).
ABBREVIATIONS: dict[str, list[str]] = {
    "upper-trapezius": ["UT", "UFT"],
    "quadratus-lumborum": ["QL"],
    "tensor-fasciae-latae": ["TFL"],
    "sternocleidomastoid": ["SCM"],
    "extensor-carpi-radialis-brevis": ["ECRB"],
    "extensor-carpi-radialis-longus": ["ECRL"],
    "extensor-carpi-ulnaris": ["ECU"],
    "flexor-carpi-ulnaris": ["FCU"],
    "flexor-carpi-radialis": ["FCR"],
    "extensor-digitorum": ["EDC"],
    "flexor-digitorum-superficialis": ["FDS"],
    "flexor-digitorum-profundus": ["FDP"],
    "flexor-pollicis-longus": ["FPL"],
    "extensor-pollicis-longus": ["EPL"],
    "extensor-pollicis-brevis": ["EPB"],
    "abductor-pollicis-longus": ["APL"],
    "abductor-pollicis-brevis": ["APB"],
    "extensor-digiti-minimi": ["EDM"],
    "extensor-indicis": ["EIP"],
    "dorsal-interosseous-of-hand": ["FDI"],
    "vastus-medialis-obliquus": ["VMO"],
    "flexor-hallucis-longus": ["FHL"],
    "flexor-digitorum-longus": ["FDL"],
    "extensor-hallucis-longus": ["EHL"],
    "extensor-digitorum-longus": ["EDL"],
    "flexor-digitorum-brevis": ["FDB"],
    "extensor-digitorum-brevis": ["EDB"],
    "transversus-abdominis": ["TrA"],
}

MEMBERS_HAND = [
    "abductor-pollicis-brevis",
    "flexor-pollicis-brevis",
    "opponens-pollicis",
    "adductor-pollicis",
    "abductor-digiti-minimi-of-hand",
    "flexor-digiti-minimi-brevis",
    "opponens-digiti-minimi",
    "palmaris-brevis",
    "dorsal-interosseous-of-hand",
    "palmar-interosseous",
    "lumbrical-of-hand",
]

# Groups and vague regions: never counted as muscles.
GROUPS: list[dict[str, Any]] = [
    {
        "id": "rotator-cuff",
        "name": "rotator cuff",
        "kind": "group",
        "members": ["supraspinatus", "infraspinatus", "teres-minor", "subscapularis"],
        "synonyms": ["rotator cuff muscles", "rotator cuff musculature", "rotator cuff group"],
    },
    {
        "id": "hamstrings",
        "name": "hamstrings",
        "kind": "group",
        "members": ["biceps-femoris", "semitendinosus", "semimembranosus"],
        "synonyms": [
            "hamstring",
            "hams",
            "hammies",
            "hamstring muscles",
            "hamstring group",
            "hamstring musculature",
        ],
    },
    {
        "id": "medial-hamstrings",
        "name": "medial hamstrings",
        "kind": "group",
        "members": ["semitendinosus", "semimembranosus"],
        "synonyms": ["medial hamstring", "medial hams"],
    },
    {
        "id": "quadriceps",
        "name": "quadriceps",
        "kind": "group",
        "members": ["rectus-femoris", "vastus-lateralis", "vastus-medialis", "vastus-intermedius"],
        "synonyms": [
            "quads",
            "quad",
            "quadriceps femoris",
            "quadricep",
            "quadriceps muscles",
            "quad muscles",
            "quadriceps group",
            "quadriceps musculature",
        ],
    },
    {
        "id": "vasti",
        "name": "vasti",
        "kind": "group",
        "members": ["vastus-lateralis", "vastus-medialis", "vastus-intermedius"],
        "synonyms": ["vastus muscles", "vastus group"],
    },
    {
        "id": "adductors",
        "name": "adductors",
        "kind": "group",
        "members": [
            "adductor-longus",
            "adductor-brevis",
            "adductor-magnus",
            "gracilis",
            "pectineus",
        ],
        "synonyms": [
            "hip adductors",
            "hip adductor",
            "adductor group",
            "adductor muscles",
            "thigh adductors",
            "adductor musculature",
            "groin muscles",
        ],
    },
    {
        "id": "hip-flexors",
        "name": "hip flexors",
        "kind": "group",
        "members": [
            "iliopsoas",
            "psoas-major",
            "iliacus",
            "rectus-femoris",
            "sartorius",
            "tensor-fasciae-latae",
            "pectineus",
        ],
        "synonyms": [
            "hip flexor",
            "hip flexor muscles",
            "hip flexor group",
            "hip flexor musculature",
        ],
    },
    {
        "id": "hip-abductors",
        "name": "hip abductors",
        "kind": "group",
        "members": ["gluteus-medius", "gluteus-minimus", "tensor-fasciae-latae"],
        "synonyms": ["hip abductor muscles", "hip abductor group"],
    },
    {
        "id": "gluteals",
        "name": "gluteals",
        "kind": "group",
        "members": ["gluteus-maximus", "gluteus-medius", "gluteus-minimus"],
        "synonyms": [
            "glutes",
            "gluteal muscles",
            "glute muscles",
            "glute",
            "glutei",
            "gluteus",
            "gluts",
            "gluteal musculature",
            "gluteal group",
        ],
    },
    {
        "id": "hip-rotators",
        "name": "deep hip rotators",
        "kind": "group",
        "members": [
            "piriformis",
            "superior-gemellus",
            "inferior-gemellus",
            "obturator-internus",
            "obturator-externus",
            "quadratus-femoris",
        ],
        "synonyms": [
            "hip rotators",
            "deep six",
            "deep 6",
            "deep hip external rotators",
            "hip external rotators",
            "deep external rotators",
            "short external rotators",
            "deep rotators",
            "deep hip rotator muscles",
            "lateral rotators of hip",
        ],
    },
    {
        "id": "gemelli",
        "name": "gemelli",
        "kind": "group",
        "members": ["superior-gemellus", "inferior-gemellus"],
        "synonyms": ["gemellus", "gemellus muscles", "gemelli muscles"],
    },
    {
        "id": "erector-spinae",
        "name": "erector spinae",
        "kind": "group",
        "members": [
            "iliocostalis",
            "iliocostalis-lumborum",
            "iliocostalis-thoracis",
            "iliocostalis-cervicis",
            "longissimus",
            "longissimus-thoracis",
            "longissimus-cervicis",
            "longissimus-capitis",
            "spinalis",
            "spinalis-thoracis",
            "spinalis-cervicis",
            "spinalis-capitis",
        ],
        "synonyms": [
            "erectors",
            "erector spinae muscles",
            "erector spinae group",
            "spinal erectors",
            "erector spinae musculature",
            "lumbar erectors",
            "lumbar erector spinae",
            "thoracic erectors",
            "thoracic erector spinae",
            "cervical erectors",
            "erector spinae muscle group",
            "sacrospinalis",
        ],
    },
    {
        "id": "transversospinales",
        "name": "transversospinales",
        "kind": "group",
        "members": [
            "multifidus",
            "multifidus-cervicis",
            "multifidus-thoracis",
            "multifidus-lumborum",
            "rotatores",
            "rotatores-cervicis",
            "rotatores-thoracis",
            "semispinalis",
            "semispinalis-capitis",
            "semispinalis-cervicis",
            "semispinalis-thoracis",
        ],
        "synonyms": ["transversospinalis", "transversospinal muscles", "transversospinal group"],
    },
    {
        "id": "splenius",
        "name": "splenius",
        "kind": "group",
        "members": ["splenius-capitis", "splenius-cervicis"],
        "synonyms": ["splenii", "splenius muscles"],
    },
    {
        "id": "interspinales",
        "name": "interspinales",
        "kind": "group",
        "members": ["interspinales-cervicis", "interspinales-thoracis", "interspinales-lumborum"],
        "synonyms": ["interspinalis", "interspinal muscles"],
    },
    {
        "id": "intertransversarii",
        "name": "intertransversarii",
        "kind": "group",
        "members": [
            "anterior-cervical-intertransversarii",
            "lateral-posterior-cervical-intertransversarii",
            "medial-posterior-cervical-intertransversarii",
            "thoracic-intertransversarii",
            "intertransversarii-laterales-lumborum",
            "medial-lumbar-intertransversarii",
        ],
        "synonyms": ["intertransversarius", "intertransverse muscles"],
    },
    {
        "id": "paraspinals",
        "name": "paraspinals",
        "kind": "vague",
        "synonyms": [
            "paraspinal muscles",
            "paraspinal musculature",
            "paraspinous muscles",
            "paraspinous musculature",
            "paraspinous",
            "cervical paraspinals",
            "cervical paraspinal muscles",
            "cervical paraspinal musculature",
            "thoracic paraspinals",
            "thoracic paraspinal muscles",
            "thoracic paraspinal musculature",
            "lumbar paraspinals",
            "lumbar paraspinal muscles",
            "lumbar paraspinal musculature",
            "thoracolumbar paraspinals",
            "lumbosacral paraspinals",
            "cervicothoracic paraspinals",
            "paravertebral muscles",
            "paravertebral musculature",
            "paravertebrals",
            "spinal muscles",
            "spinal musculature",
        ],
    },
    {
        "id": "suboccipitals",
        "name": "suboccipitals",
        "kind": "group",
        "members": [
            "rectus-capitis-posterior-major",
            "rectus-capitis-posterior-minor",
            "obliquus-capitis-superior",
            "obliquus-capitis-inferior",
        ],
        "synonyms": [
            "suboccipital muscles",
            "suboccipital musculature",
            "suboccipital group",
            "sub occipitals",
            "suboccipital triangle muscles",
        ],
    },
    {
        "id": "deep-neck-flexors",
        "name": "deep neck flexors",
        "kind": "group",
        "members": [
            "longus-colli",
            "longus-capitis",
            "rectus-capitis-anterior",
            "rectus-capitis-lateralis",
        ],
        "synonyms": ["deep cervical flexors", "deep neck flexor muscles", "prevertebral muscles"],
        "abbreviations": ["DNF", "DCF"],
    },
    {
        "id": "peroneals",
        "name": "peroneals",
        "kind": "group",
        "members": ["fibularis-longus", "fibularis-brevis", "fibularis-tertius"],
        "synonyms": [
            "fibularis group",
            "peroneal muscles",
            "peroneal group",
            "fibulars",
            "fibularis muscles",
            "fibular muscles",
            "peronei",
            "peroneus muscles",
        ],
    },
    {
        "id": "calf",
        "name": "calf",
        "kind": "vague",
        "synonyms": [
            "calf muscles",
            "calves",
            "calf musculature",
            "calf complex",
            "calf muscle",
            "lower leg muscles",
        ],
    },
    {
        "id": "triceps-surae",
        "name": "triceps surae",
        "kind": "group",
        "members": ["gastrocnemius", "soleus", "plantaris"],
        "synonyms": [
            "gastroc-soleus complex",
            "gastrocsoleus",
            "gastroc soleus complex",
            "gastrocnemius-soleus complex",
        ],
    },
    {
        "id": "forearm-extensors",
        "name": "forearm extensors",
        "kind": "group",
        "members": [
            "extensor-carpi-radialis-longus",
            "extensor-carpi-radialis-brevis",
            "extensor-carpi-ulnaris",
            "extensor-digitorum",
            "extensor-digiti-minimi",
        ],
        "synonyms": [
            "wrist extensors",
            "common extensors",
            "common extensor group",
            "wrist extensor group",
            "wrist extensor muscles",
            "forearm extensor muscles",
            "forearm extensor group",
            "extensor mass",
            "wrist and finger extensors",
            "finger extensors",
        ],
    },
    {
        "id": "forearm-flexors",
        "name": "forearm flexors",
        "kind": "group",
        "members": [
            "flexor-carpi-radialis",
            "flexor-carpi-ulnaris",
            "palmaris-longus",
            "flexor-digitorum-superficialis",
            "flexor-digitorum-profundus",
            "flexor-pollicis-longus",
            "pronator-teres",
        ],
        "synonyms": [
            "wrist flexors",
            "common flexors",
            "common flexor group",
            "wrist flexor group",
            "wrist flexor muscles",
            "forearm flexor muscles",
            "forearm flexor group",
            "flexor mass",
            "flexor-pronator mass",
            "wrist and finger flexors",
            "finger flexors",
        ],
    },
    {
        "id": "pecs",
        "name": "pecs",
        "kind": "group",
        "members": ["pectoralis-major", "pectoralis-minor"],
        "synonyms": [
            "pectorals",
            "pectoral muscles",
            "pectoralis",
            "pectoralis muscles",
            "pectoral musculature",
            "pects",
        ],
    },
    {
        "id": "obliques",
        "name": "obliques",
        "kind": "group",
        "members": ["external-oblique", "internal-oblique"],
        "synonyms": ["abdominal obliques", "oblique abdominals", "oblique muscles"],
    },
    {
        "id": "abdominals",
        "name": "abdominals",
        "kind": "group",
        "members": [
            "rectus-abdominis",
            "external-oblique",
            "internal-oblique",
            "transversus-abdominis",
            "pyramidalis",
        ],
        "synonyms": [
            "abs",
            "abdominal muscles",
            "abdominal musculature",
            "abdominal wall muscles",
            "abdominal wall musculature",
        ],
    },
    {
        "id": "intercostals",
        "name": "intercostals",
        "kind": "group",
        "members": ["external-intercostal", "internal-intercostal", "innermost-intercostal"],
        "synonyms": ["intercostal muscles", "intercostal musculature"],
    },
    {
        "id": "pelvic-floor",
        "name": "pelvic floor",
        "kind": "group",
        "members": [
            "coccygeus",
            "iliococcygeus",
            "pubococcygeus",
            "puborectalis",
            "puboanalis",
            "puboperineales",
            "puboprostaticus",
            "pubovaginalis",
        ],
        "synonyms": [
            "pelvic floor muscles",
            "pelvic floor musculature",
            "pelvic diaphragm",
            "pelvic floor muscle group",
        ],
        "abbreviations": ["PFM"],
    },
    {
        "id": "levator-ani",
        "name": "levator ani",
        "kind": "group",
        "members": [
            "iliococcygeus",
            "pubococcygeus",
            "puborectalis",
            "puboanalis",
            "puboperineales",
            "puboprostaticus",
            "pubovaginalis",
        ],
        "synonyms": ["levatores ani", "levator ani muscles", "levator ani group"],
    },
    {
        "id": "thenar-muscles",
        "name": "thenar muscles",
        "kind": "group",
        "members": [
            "abductor-pollicis-brevis",
            "flexor-pollicis-brevis",
            "opponens-pollicis",
            "adductor-pollicis",
        ],
        "synonyms": ["thenar", "thenars", "thenar eminence", "thenar group", "thenar musculature"],
    },
    {
        "id": "hypothenar-muscles",
        "name": "hypothenar muscles",
        "kind": "group",
        "members": [
            "abductor-digiti-minimi-of-hand",
            "flexor-digiti-minimi-brevis",
            "opponens-digiti-minimi",
            "palmaris-brevis",
        ],
        "synonyms": [
            "hypothenar",
            "hypothenars",
            "hypothenar eminence",
            "hypothenar group",
            "hypothenar musculature",
        ],
    },
    {
        "id": "hand-intrinsics",
        "name": "hand intrinsics",
        "kind": "group",
        "members": MEMBERS_HAND,
        "synonyms": [
            "intrinsic hand muscles",
            "hand intrinsic muscles",
            "intrinsic muscles of hand",
            "intrinsics of hand",
            "interossei of hand",
            "hand interossei",
        ],
    },
    {
        "id": "foot-intrinsics",
        "name": "foot intrinsics",
        "kind": "group",
        "members": [
            "abductor-hallucis",
            "flexor-digitorum-brevis",
            "quadratus-plantae",
            "abductor-digiti-minimi-of-foot",
            "flexor-hallucis-brevis",
            "adductor-hallucis",
            "lumbrical-of-foot",
            "dorsal-interosseous-of-foot",
            "plantar-interosseous",
            "extensor-digitorum-brevis",
            "extensor-hallucis-brevis",
        ],
        "synonyms": [
            "intrinsic foot muscles",
            "foot intrinsic muscles",
            "intrinsic muscles of foot",
            "intrinsics of foot",
            "plantar intrinsics",
            "plantar intrinsic muscles",
            "plantar foot muscles",
            "plantar muscles",
            "interossei of foot",
            "foot interossei",
        ],
    },
    {
        "id": "masticatory-muscles",
        "name": "muscles of mastication",
        "kind": "group",
        "members": ["masseter", "temporalis", "medial-pterygoid", "lateral-pterygoid"],
        "synonyms": [
            "masticatory muscles",
            "masticatory musculature",
            "mastication muscles",
            "jaw muscles",
            "jaw musculature",
            "tmj muscles",
            "tmj musculature",
        ],
    },
    {
        "id": "pterygoids",
        "name": "pterygoids",
        "kind": "group",
        "members": ["medial-pterygoid", "lateral-pterygoid"],
        "synonyms": ["pterygoid", "pterygoid muscles"],
    },
    {
        "id": "suprahyoids",
        "name": "suprahyoids",
        "kind": "group",
        "members": ["digastric", "geniohyoid", "mylohyoid", "stylohyoid"],
        "synonyms": ["suprahyoid muscles", "suprahyoid musculature"],
    },
    {
        "id": "infrahyoids",
        "name": "infrahyoids",
        "kind": "group",
        "members": ["omohyoid", "sternohyoid", "sternothyroid", "thyrohyoid"],
        "synonyms": ["infrahyoid muscles", "strap muscles", "infrahyoid musculature"],
    },
    {
        "id": "hyoid-muscles",
        "name": "hyoid muscles",
        "kind": "vague",
        "synonyms": ["hyoids", "hyoid musculature"],
    },
    # --- vague regions
    {
        "id": "multiple-muscles",
        "name": "multiple muscles",
        "kind": "vague",
        "synonyms": [
            "several muscles",
            "various muscles",
            "numerous muscles",
            "many muscles",
            "multiple muscle groups",
            "various muscle groups",
            "several muscle groups",
            "surrounding musculature",
            "surrounding muscles",
            "surrounding muscle",
            "surrounding muscle groups",
            "associated musculature",
            "associated muscles",
            "involved muscles",
            "involved musculature",
            "affected muscles",
            "affected musculature",
            "regional musculature",
            "local musculature",
            "adjacent musculature",
            "adjacent muscles",
            "additional muscles",
            "other muscles",
            "relevant muscles",
            "relevant musculature",
            "target muscles",
            "targeted muscles",
            "symptomatic muscles",
            "muscles as indicated",
        ],
    },
    {
        "id": "cervical-muscles",
        "name": "cervical muscles",
        "kind": "vague",
        "synonyms": [
            "cervical musculature",
            "neck muscles",
            "neck musculature",
            "posterior cervical musculature",
            "posterior cervical muscles",
            "posterior neck muscles",
            "posterior neck musculature",
            "anterior neck muscles",
            "anterior cervical muscles",
            "anterior cervical musculature",
            "lateral neck muscles",
            "cervical spine muscles",
            "cervical spine musculature",
            "neck and shoulder muscles",
            "cervicothoracic muscles",
            "cervicothoracic musculature",
        ],
    },
    {
        "id": "upper-back-muscles",
        "name": "upper back muscles",
        "kind": "vague",
        "synonyms": [
            "upper back musculature",
            "upper thoracic muscles",
            "upper thoracic musculature",
        ],
    },
    {
        "id": "mid-back-muscles",
        "name": "mid back muscles",
        "kind": "vague",
        "synonyms": [
            "mid back musculature",
            "mid-back muscles",
            "mid-back musculature",
            "middle back muscles",
            "midback muscles",
            "midback musculature",
            "thoracic muscles",
            "thoracic musculature",
            "thoracic spine muscles",
            "thoracic spine musculature",
            "interscapular muscles",
            "interscapular musculature",
        ],
    },
    {
        "id": "low-back-muscles",
        "name": "low back muscles",
        "kind": "vague",
        "synonyms": [
            "low back musculature",
            "low-back muscles",
            "lower back muscles",
            "lower back musculature",
            "lumbar muscles",
            "lumbar musculature",
            "lumbar spine muscles",
            "lumbar spine musculature",
            "lumbosacral muscles",
            "lumbosacral musculature",
            "thoracolumbar muscles",
            "thoracolumbar musculature",
            "lumbopelvic muscles",
            "lumbopelvic musculature",
        ],
    },
    {
        "id": "back-muscles",
        "name": "back muscles",
        "kind": "vague",
        "synonyms": ["back musculature", "muscles of back", "spine muscles"],
    },
    {
        "id": "shoulder-muscles",
        "name": "shoulder muscles",
        "kind": "vague",
        "synonyms": [
            "shoulder musculature",
            "shoulder girdle muscles",
            "shoulder girdle musculature",
            "shoulder complex muscles",
            "muscles of shoulder",
        ],
    },
    {
        "id": "periscapular-muscles",
        "name": "periscapular muscles",
        "kind": "vague",
        "synonyms": [
            "periscapular musculature",
            "periscapulars",
            "parascapular muscles",
            "parascapular musculature",
            "scapular muscles",
            "scapular musculature",
            "scapular stabilizers",
            "scapular stabilisers",
            "scapular stabilizer muscles",
            "scapulothoracic muscles",
        ],
    },
    {
        "id": "chest-muscles",
        "name": "chest muscles",
        "kind": "vague",
        "synonyms": [
            "chest musculature",
            "chest wall muscles",
            "chest wall musculature",
            "anterior chest wall muscles",
            "anterior chest muscles",
        ],
    },
    {
        "id": "hip-muscles",
        "name": "hip muscles",
        "kind": "vague",
        "synonyms": [
            "hip musculature",
            "hip girdle muscles",
            "buttock muscles",
            "gluteal region muscles",
            "lateral hip muscles",
            "posterior hip muscles",
            "posterior hip musculature",
            "pelvic girdle muscles",
        ],
    },
    {
        "id": "thigh-muscles",
        "name": "thigh muscles",
        "kind": "vague",
        "synonyms": [
            "thigh musculature",
            "anterior thigh muscles",
            "posterior thigh muscles",
            "lateral thigh muscles",
            "medial thigh muscles",
        ],
    },
    {
        "id": "leg-muscles",
        "name": "leg muscles",
        "kind": "vague",
        "synonyms": [
            "leg musculature",
            "lower extremity muscles",
            "lower extremity musculature",
            "lower limb muscles",
            "anterior leg muscles",
            "lateral leg muscles",
            "posterior leg muscles",
            "shin muscles",
        ],
    },
    {
        "id": "arm-muscles",
        "name": "arm muscles",
        "kind": "vague",
        "synonyms": [
            "arm musculature",
            "upper arm muscles",
            "upper extremity muscles",
            "upper extremity musculature",
            "upper limb muscles",
        ],
    },
    {
        "id": "forearm-muscles",
        "name": "forearm muscles",
        "kind": "vague",
        "synonyms": ["forearm musculature", "elbow muscles"],
    },
    {
        "id": "hand-muscles",
        "name": "hand muscles",
        "kind": "vague",
        "synonyms": ["hand musculature", "wrist muscles"],
    },
    {
        "id": "foot-muscles",
        "name": "foot muscles",
        "kind": "vague",
        "synonyms": ["foot musculature", "ankle muscles"],
    },
    {
        "id": "head-and-face-muscles",
        "name": "facial muscles",
        "kind": "vague",
        "synonyms": [
            "face muscles",
            "facial musculature",
            "scalp muscles",
            "head muscles",
            "cranial muscles",
        ],
    },
    {
        "id": "core-muscles",
        "name": "core muscles",
        "kind": "vague",
        "synonyms": ["core musculature", "trunk muscles", "trunk musculature"],
    },
]

HEADER = {
    "schema_version": "1",
    "description": (
        "Muscles and muscle subdivisions clinicians name when they dictate a dry needling note, "
        "with the phrases (case-insensitive) and abbreviations (case-sensitive tokens) that "
        "name them, plus groups and vague regions that are never counted as muscles "
        "(DOMAIN.md section 3). A subdivision with a parent counts as its parent by default. "
        "The loader adds the canonical name, last-word plurals/singulars and hyphen/space "
        "variants to the synonyms."
    ),
    "source": (
        "Gustilo KS, Weber G. Muscular System, v1.1. Human Reference Atlas. "
        "https://doi.org/10.48539/HBM257.RSRQ.666 (names, UBERON/FMA ids, regions, groups; "
        "rows with source_name). Synonyms and clinical forms: dn-scribe project."
    ),
    "license": "CC BY 4.0 (Human Reference Atlas data); project additions Apache-2.0",
    "attribution": (
        "Contains data from the Human Reference Atlas Muscular System table v1.1 "
        "(Gustilo KS, Weber G), licensed CC BY 4.0. Names were adapted: canonical clinical "
        "names, 'muscle' dropped, typos corrected, subdivisions renamed; synonyms, "
        "abbreviations, additions (source_name: null) and groups are the dn-scribe project's. "
        "See NOTICE."
    ),
}


def kebab(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def strip_muscle(name: str) -> str:
    return re.sub(r"\s+muscle$", "", name.strip())


def with_the(phrases: list[str]) -> list[str]:
    """Add "X of the Y" beside every "X of Y" (clinicians say both)."""
    out: list[str] = []
    for phrase in phrases:
        out.append(phrase)
        if " of " in phrase and " of the " not in phrase:
            out.append(phrase.replace(" of ", " of the ", 1))
    return out


def dedupe(phrases: list[str], *, drop: str) -> list[str]:
    seen = {drop.lower()}
    out = []
    for phrase in phrases:
        key = phrase.lower()
        if key not in seen:
            seen.add(key)
            out.append(phrase)
    return out


def build(source: Path) -> dict[str, Any]:
    with source.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    by_name = {row["name"]: row for row in rows}
    muscles: list[dict[str, Any]] = []

    def add(name: str, row: dict[str, str] | None, **extra: Any) -> None:
        muscle_id = kebab(name)
        entry: dict[str, Any] = {"id": muscle_id, "name": name}
        if row is not None:
            entry["region"] = REGIONS[row["region"]]
            group = row["group"]
            entry["group"] = GROUP_NAMES.get(group, strip_muscle(group))
        entry.update({k: v for k, v in extra.items() if k in ("region", "group")})
        parent = extra.get("parent") or PARENTS.get(muscle_id)
        if parent:
            entry["parent"] = parent
        entry["source_name"] = row["name"] if row is not None else None
        if row is not None and row["ontology_id"]:
            entry["ontology_id"] = row["ontology_id"]
        synonyms = dedupe(with_the([*SYNONYMS.get(muscle_id, []), name]), drop=name)
        if synonyms:
            entry["synonyms"] = synonyms
        if muscle_id in ABBREVIATIONS:
            entry["abbreviations"] = ABBREVIATIONS[muscle_id]
        muscles.append(entry)

    for addition in ADDITIONS:
        add(addition["name"], None, **{k: v for k, v in addition.items() if k != "name"})
    for row in rows:
        if row["kind"] == "muscle":
            add(NAME_OVERRIDES.get(row["name"], strip_muscle(row["name"])), row)
        elif row["kind"] == "muscle_part" and row["name"] in PARTS:
            parent_row = by_name[row["parent"]]
            parent_name = NAME_OVERRIDES.get(parent_row["name"], strip_muscle(parent_row["name"]))
            add(PARTS[row["name"]], row, parent=kebab(parent_name))

    # Musculoskeletal regions first; the cranial rows (kept from the table) last.
    order = {"neck": 0, "back": 1, "chest": 2, "abdomen": 3}
    order |= {"upper limb": 4, "lower limb": 5, "head": 6}
    muscles.sort(
        key=lambda m: (order[m["region"]], m["group"], m.get("parent") or m["id"], "parent" in m)
    )

    groups = []
    for group in GROUPS:
        entry = {k: group[k] for k in ("id", "name", "kind")}
        if group.get("members"):
            entry["members"] = group["members"]
        entry["synonyms"] = dedupe(with_the(group.get("synonyms", [])), drop=group["name"])
        if group.get("abbreviations"):
            entry["abbreviations"] = group["abbreviations"]
        groups.append(entry)
    return {**HEADER, "muscles": muscles, "groups": groups}


_PLAIN = re.compile(r"^[a-z0-9][a-z0-9 ._/'()-]*$", re.IGNORECASE)
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n", "~"}
WIDTH = 100


def scalar(value: Any) -> str:
    """A YAML scalar: plain when unambiguous, double-quoted otherwise."""
    if value is None:
        return "null"
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _RESERVED and not text[0].isdigit():
        return text
    return json.dumps(text, ensure_ascii=False)


def folded(key: str, text: str, indent: str = "") -> list[str]:
    line = f"{indent}{key}: {scalar(text)}"
    if len(line) <= WIDTH:
        return [line]
    lines = [f"{indent}{key}: >-"]
    lines += textwrap.wrap(
        text, WIDTH, initial_indent=indent + "  ", subsequent_indent=indent + "  "
    )
    return lines


def sequence(key: str, items: list[str], indent: str) -> list[str]:
    flow = f"{indent}{key}: [{', '.join(scalar(item) for item in items)}]"
    if len(flow) <= WIDTH:
        return [flow]
    return [f"{indent}{key}:"] + [f"{indent}  - {scalar(item)}" for item in items]


def entry_lines(entry: dict[str, Any]) -> list[str]:
    lines = []
    for number, (key, value) in enumerate(entry.items()):
        indent = "  "
        prefix = "- " if number == 0 else indent
        if isinstance(value, list):
            lines += sequence(key, value, indent)
        else:
            lines.append(f"{prefix}{key}: {scalar(value)}")
    return lines


def render(data: dict[str, Any]) -> str:
    lines = [
        "# Generated once by lexicons/tools/build_muscles.py from the Human Reference Atlas table;",
        "# this file is the source of truth now: edit it directly.",
        f'schema_version: "{data["schema_version"]}"',
    ]
    for key in ("description", "source", "license", "attribution"):
        lines += folded(key, data[key])
    for section in ("muscles", "groups"):
        lines.append(f"{section}:")
        for entry in data[section]:
            lines += entry_lines(entry)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    data = build(args.source)
    text = render(data)
    if yaml.safe_load(text) != data:
        raise SystemExit("rendered YAML does not read back as the data built")
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {len(data['muscles'])} muscles, {len(data['groups'])} groups")
    return 0


if __name__ == "__main__":
    sys.exit(main())
