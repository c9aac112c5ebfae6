"""`/mydata` (a copy of everything held) and `/forget` (erasure, after a clear confirmation).

```mermaid
flowchart LR
  mydata["/mydata"] --> file["chorus-my-data-P-XXXX.json"]
  forget["/forget"] --> confirm{"Delete everything?"}
  confirm -- "Yes" --> erased["deleted, audited by counts only"]
  confirm -- "No" --> kept["kept as it was"]
  forget -- staff --> refused["ask your coordinator"]
```
"""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot.context import ChorusContext
from bot.messaging import privacy_texts as texts
from bot.messaging.callbacks import CallbackDataError, decode, encode
from bot.services import people, privacy

PREFIX = "forget"


def _confirm_keyboard(code: str) -> InlineKeyboardMarkup:
    # The code ties the answer to this person: a button pressed after erasure, or forged
    # for someone else, names a code that is not the presser's, and erases nothing.
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(texts.FORGET_YES, callback_data=encode(PREFIX, "yes", code))],
            [InlineKeyboardButton(texts.FORGET_NO, callback_data=encode(PREFIX, "no", code))],
        ]
    )


async def mydata(update: Update, context: ChorusContext) -> None:
    """Sends the person a JSON file of everything Chorus holds about them."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    async with context.sessions.begin() as session:
        person = await people.find(session, user.id)
        if person is None:
            return
        data = await privacy.export(session, person, now=context.clock.now())
        name = privacy.file_name(person.code)
    about = {"about": texts.EXPORT_ABOUT}
    document = InputFile(privacy.to_json(about | data), filename=name)
    await message.reply_document(document, caption=texts.MYDATA_CAPTION)


async def forget(update: Update, context: ChorusContext) -> None:
    """Says exactly what would be deleted and asks "Yes, delete everything" or "No, keep it"."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    async with context.sessions.begin() as session:
        person = await people.find(session, user.id)
        if person is None:
            return
        if person.is_staff:
            await message.reply_text(texts.FORGET_STAFF)
            return
        held, code = await privacy.holdings(session, person), person.code
    text = texts.FORGET_CONFIRM.format(
        check_ins=held.of("check_in"),
        bookings=held.of("booking"),
        flags=held.of("safeguarding_flag"),
    )
    await message.reply_text(text, reply_markup=_confirm_keyboard(code))


async def forget_button(update: Update, context: ChorusContext) -> None:
    """Erases on "Yes" (if the button is still this person's), keeps everything on "No"."""
    query, user = update.callback_query, update.effective_user
    if query is None or user is None:
        return
    try:
        data = decode(query.data)
        choice, code = data.part(0), data.part(1)
    except CallbackDataError:
        await query.answer(texts.FORGET_STALE)
        return
    if choice == "no":
        await query.answer()
        await query.edit_message_text(texts.FORGET_KEPT)
        return
    if choice != "yes":
        await query.answer(texts.FORGET_STALE)
        return
    async with context.sessions.begin() as session:
        result = await privacy.erase(
            session, telegram_user_id=user.id, code=code, now=context.clock.now()
        )
    if result.outcome is privacy.ErasureOutcome.ERASED:
        await query.answer()
        await query.edit_message_text(texts.FORGET_DONE)
        return
    refusal = texts.FORGET_STAFF if result.outcome is privacy.ErasureOutcome.STAFF else None
    await query.answer(refusal or texts.FORGET_STALE, show_alert=refusal is not None)
