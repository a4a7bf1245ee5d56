"""Words of the field that name the same thing, as staff type them (folded, lower case).

A question containing the key also searches for each expansion: "hạn chót" finds the clause
that says "thời gian thực hiện". Abbreviations go both ways ("UBND" ~ "Ủy ban nhân dân").
A few English words let an English question reach the Vietnamese text.
"""

from __future__ import annotations

SYNONYMS: dict[str, tuple[str, ...]] = {
    # time
    "han chot": ("thoi gian thuc hien", "den het ngay"),
    "thoi han": ("thoi gian thuc hien", "den het ngay"),
    "ket thuc": ("den het ngay", "thoi gian thuc hien"),
    "bao gio": ("thoi gian thuc hien",),
    "khi nao": ("thoi gian thuc hien",),
    "keo dai": ("thoi gian thuc hien",),
    "han": ("cham nhat", "truoc ngay", "thoi han"),
    "han nop": ("cham nhat", "truoc ngay"),
    "bat dau": ("tu ngay", "ke tu", "tu nam"),
    "toi da": ("khong qua",),
    "khong qua": ("toi da",),
    "it nhat": ("toi thieu", "khong duoi"),
    "toi thieu": ("it nhat",),
    "giai quyet": ("xu ly",),
    "xu ly": ("giai quyet",),
    "nop": ("gui", "tiep nhan"),
    "o dau": ("noi",),
    # targets
    "chi tieu": ("phan dau",),
    "muc tieu": ("chi tieu", "phan dau"),
    "ty le": ("%",),
    "phan tram": ("%",),
    "bao nhieu phan tram": ("%",),
    # bodies and people
    "cong doan": ("cdcs", "cong doan co so"),
    "cdcs": ("cong doan co so",),
    "doan thanh nien": ("chi doan", "bi thu doan thanh nien"),
    "thanh nien": ("doan thanh nien",),
    "chi doan": ("doan thanh nien",),
    "doan vien": ("doan thanh nien", "cong doan"),
    "truong phong": ("truong cac phong", "nguoi dung dau"),
    "thu truong": ("nguoi dung dau",),
    "can bo": ("cong chuc vien chuc",),
    "nhan vien": ("cong chuc vien chuc nguoi lao dong",),
    "nguoi lao dong": ("cong chuc vien chuc",),
    "van phong so": ("van phong",),
    # abbreviations, both ways
    "ubnd": ("uy ban nhan dan",),
    "uy ban nhan dan": ("ubnd",),
    "gtvt": ("giao thong van tai",),
    "giao thong van tai": ("gtvt",),
    "atgt": ("an toan giao thong",),
    "gpmb": ("giai phong mat bang",),
    "tdkt": ("thi dua khen thuong",),
    "htxsnv": ("hoan thanh xuat sac nhiem vu",),
    "httnv": ("hoan thanh tot nhiem vu",),
    # duties
    "trach nhiem": ("chu tri", "trien khai"),
    "giam sat": ("kiem tra don doc",),
    "theo doi": ("kiem tra don doc",),
    "can cu": ("thuc hien chi thi",),
    "co so phap ly": ("thuc hien chi thi",),
    "dua tren": ("thuc hien chi thi",),
    "khau hieu": ("chu de",),
    "the thao": ("the duc the thao",),
    "ky ten": ("giam doc",),
    # English
    "deadline": ("thoi gian thuc hien", "den het ngay"),
    "targets": ("chi tieu phan dau",),
    "target": ("chi tieu phan dau",),
    "trade union": ("cong doan",),
    "youth union": ("doan thanh nien",),
    "theme": ("chu de",),
    "signed": ("giam doc",),
    "sign": ("giam doc",),
    "excellent": ("hoan thanh xuat sac",),
    "culture": ("van hoa",),
}

SYNONYMS.update(
    {
        "bac ho": ("chu tich ho chi minh",),
        "quoc khanh": ("cach mang thang tam",),
        "nganh": ("giao thong van tai",),
    }
)
