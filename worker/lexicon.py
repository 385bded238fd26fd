"""Phrases, by language and family, that tell what a page is: a bot check, a consent wall, a paywall
or login stub, a not-found or error page. Data only: rules that use them live in their modules
(worker/classify.py for walls); worker/phrase_match.py finds them in a text.

How a phrase is written:
- as a native writer would, in lower or any case, accents and all: phrases and texts are compared
  in one folded form (phrase_match.match_form: case, widths, Latin/Cyrillic accents, Arabic letter
  variants, Indic nukta, digits), so "Página", "PAGINA" and "pagina" are one;
- in spaced scripts a phrase matches whole words ("accept all" is not in "accept allegations"); a
  trailing "*" lets the last word go on (Turkish "abone*" is abone olun, aboneliğiniz ...);
- in spaceless scripts (CJK, Thai) a phrase matches anywhere, so it must be long enough to be a
  wall's own words, never a word an article uses ("エラー" alone is too short; "エラーが発生しました" is not).
- *_title families are the start of a page's <title> or <h1> (site name cut off) that is nothing
  but that: an error page's title.

Families: bot (bot checks, captchas, denials, rate limits), consent (consent walls' buttons and
headings), paywall (subscribe to read on), login (sign in / register to read on), not_found (soft
404s, removed articles), error (error pages), not_found_title, error_title.
Languages: BCP 47 tags; zh is simplified Chinese, zh-Hant traditional.
"""

from __future__ import annotations

FAMILIES = ("bot", "consent", "paywall", "login", "not_found", "error", "not_found_title", "error_title")

LEXICON: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "bot": ("verify you are human", "verify that you are human", "verifying you are human", "are you a robot", "are you human", "i'm not a robot", "i am not a robot", "checking your browser", "checking if the site connection is secure", "enable javascript and cookies to continue", "please enable cookies", "please complete the security check", "unusual traffic", "automated queries", "press & hold", "press and hold", "access to this page has been denied", "you don't have permission to access", "your request has been blocked", "request blocked", "too many requests", "rate limit exceeded", "security check", "bot detection", "just a moment", "attention required", "access denied", "human verification"),
        "consent": ("accept all cookies", "accept all", "accept cookies", "agree and continue", "accept and continue", "we value your privacy", "we and our partners", "before you continue", "consent to the use of cookies", "reject all"),
        "paywall": ("subscribe to continue reading", "subscribe to read", "subscribe to keep reading", "to continue reading, subscribe", "this article is for subscribers", "this article is available to subscribers", "this article is only available to subscribers", "subscribers only", "to read the full article", "unlock this article"),
        "login": ("sign in to continue reading", "log in to continue reading", "register to continue reading", "create a free account to continue", "sign in to read the full article"),
        "not_found": ("page not found", "the page you requested could not be found", "we couldn't find", "we can't find", "this page doesn't exist", "this page does not exist", "no longer available", "has been removed", "this article has been removed", "this article is no longer available"),
        "error": ("an error occurred", "an error has occurred", "something went wrong", "internal server error", "service unavailable", "temporarily unavailable", "please try again later", "bad gateway"),
        "not_found_title": ("page not found", "article not found", "content not found", "not found", "page does not exist", "page doesn't exist"),
        "error_title": ("error", "internal server error", "service unavailable", "something went wrong", "an error occurred", "an error has occurred"),
    },
    "de": {
        "bot": ("bitte bestätigen sie, dass sie ein mensch sind", "bitte bestätigen sie, dass sie kein roboter sind", "sind sie ein roboter", "ich bin kein roboter", "sicherheitsüberprüfung", "zugriff verweigert", "ungewöhnlichen datenverkehr", "zu viele anfragen", "ihr browser wird überprüft"),
        "consent": ("alle akzeptieren", "alle cookies akzeptieren", "akzeptieren und weiter", "zustimmen und weiter", "wir und unsere partner", "alle ablehnen", "akzeptieren und schließen", "ihre privatsphäre ist uns wichtig"),
        "paywall": ("jetzt weiterlesen", "weiterlesen mit", "nur für abonnenten", "um weiterzulesen", "dieser artikel ist nur für abonnenten", "exklusiv für abonnenten", "jetzt abonnieren und weiterlesen"),
        "login": ("anmelden und weiterlesen", "melden sie sich an, um weiterzulesen", "kostenlos registrieren und weiterlesen"),
        "not_found": ("seite nicht gefunden", "die seite wurde nicht gefunden", "die angeforderte seite existiert nicht", "diese seite existiert nicht", "der artikel ist nicht mehr verfügbar", "artikel nicht gefunden"),
        "error": ("ein fehler ist aufgetreten", "es ist ein fehler aufgetreten", "etwas ist schiefgelaufen", "dienst nicht verfügbar", "bitte versuchen sie es später erneut", "bitte versuchen sie es später noch einmal"),
        "not_found_title": ("seite nicht gefunden", "fehler 404", "artikel nicht gefunden"),
        "error_title": ("fehler", "ein fehler ist aufgetreten", "es ist ein fehler aufgetreten"),
    },
    "fr": {
        "bot": ("vérifiez que vous êtes humain", "vérification de sécurité", "êtes-vous un robot", "je ne suis pas un robot", "accès refusé", "trop de requêtes", "trafic inhabituel", "vérification de votre navigateur"),
        "consent": ("tout accepter", "accepter et continuer", "accepter et fermer", "nous et nos partenaires", "tout refuser", "continuer sans accepter", "le respect de votre vie privée est notre priorité"),
        "paywall": ("abonnez-vous pour lire la suite", "réservé aux abonnés", "pour lire la suite", "cet article est réservé aux abonnés", "la suite est réservée aux abonnés", "il vous reste", "de cet article à lire"),
        "login": ("connectez-vous pour lire la suite", "inscrivez-vous gratuitement pour lire la suite", "créez un compte gratuit pour lire"),
        "not_found": ("page introuvable", "page non trouvée", "la page que vous recherchez n'existe pas", "la page demandée est introuvable", "cette page n'existe pas", "cet article n'est plus disponible", "la page demandée n'existe pas"),
        "error": ("une erreur s'est produite", "une erreur est survenue", "service indisponible", "veuillez réessayer plus tard", "erreur interne du serveur"),
        "not_found_title": ("page introuvable", "page non trouvée", "erreur 404", "cette page n'existe pas"),
        "error_title": ("erreur", "une erreur s'est produite", "une erreur est survenue"),
    },
    "es": {
        "bot": ("verifica que eres humano", "verifica que no eres un robot", "¿eres un robot?", "no soy un robot", "comprobación de seguridad", "verificación de seguridad", "acceso denegado", "demasiadas solicitudes", "tráfico inusual", "comprobando tu navegador"),
        "consent": ("aceptar todo", "aceptar todas", "aceptar y continuar", "nosotros y nuestros socios", "rechazar todo", "aceptar y cerrar", "tu privacidad es importante para nosotros"),
        "paywall": ("suscríbete para seguir leyendo", "suscríbete para continuar", "exclusivo para suscriptores", "este artículo es exclusivo para suscriptores", "contenido exclusivo para suscriptores", "para seguir leyendo", "ya soy suscriptor"),
        "login": ("inicia sesión para seguir leyendo", "regístrate gratis para seguir leyendo", "regístrate para seguir leyendo"),
        "not_found": ("página no encontrada", "la página que buscas no existe", "la página que busca no existe", "esta página no existe", "el artículo ya no está disponible", "la página solicitada no existe"),
        "error": ("se ha producido un error", "ha ocurrido un error", "algo salió mal", "servicio no disponible", "inténtalo de nuevo más tarde", "error interno del servidor"),
        "not_found_title": ("página no encontrada", "error 404", "la página no existe"),
        "error_title": ("error", "se ha producido un error", "ha ocurrido un error"),
    },
    "it": {
        "bot": ("verifica di essere umano", "verifica di non essere un robot", "non sono un robot", "controllo di sicurezza", "accesso negato", "troppe richieste", "traffico insolito"),
        "consent": ("accetta tutto", "accetta e continua", "noi e i nostri partner", "rifiuta tutto", "accetta e chiudi", "continua senza accettare"),
        "paywall": ("abbonati per continuare", "riservato agli abbonati", "contenuto riservato agli abbonati", "articolo riservato agli abbonati", "abbonati per leggere", "per continuare a leggere"),
        "login": ("accedi per continuare a leggere", "registrati gratuitamente per continuare a leggere", "registrati per continuare a leggere"),
        "not_found": ("pagina non trovata", "la pagina che stai cercando non esiste", "la pagina richiesta non è stata trovata", "questa pagina non esiste", "l'articolo non è più disponibile"),
        "error": ("si è verificato un errore", "servizio non disponibile", "riprova più tardi", "qualcosa è andato storto", "errore interno del server"),
        "not_found_title": ("pagina non trovata", "errore 404", "pagina inesistente"),
        "error_title": ("errore", "si è verificato un errore"),
    },
    "pt": {
        "bot": ("verifique que você é humano", "confirme que você não é um robô", "não sou um robô", "verificação de segurança", "acesso negado", "muitas solicitações", "tráfego incomum", "verificando seu navegador"),
        "consent": ("aceitar todos", "aceitar tudo", "aceitar e continuar", "aceitar e fechar", "nós e os nossos parceiros", "nós e nossos parceiros", "rejeitar todos"),
        "paywall": ("assine para continuar lendo", "assine para ler", "exclusivo para assinantes", "conteúdo exclusivo para assinantes", "este conteúdo é exclusivo para assinantes", "para continuar lendo", "para continuar a ler", "já é assinante"),
        "login": ("faça login para continuar lendo", "cadastre-se gratuitamente para continuar lendo", "inicie sessão para continuar a ler"),
        "not_found": ("página não encontrada", "a página que você procura não existe", "a página que procura não existe", "esta página não existe", "a página não foi encontrada", "o conteúdo não está mais disponível"),
        "error": ("ocorreu um erro", "algo deu errado", "serviço indisponível", "tente novamente mais tarde", "erro interno do servidor"),
        "not_found_title": ("página não encontrada", "erro 404", "página inexistente"),
        "error_title": ("erro", "ocorreu um erro"),
    },
    "nl": {
        "bot": ("bevestig dat u een mens bent", "bevestig dat je een mens bent", "ik ben geen robot", "beveiligingscontrole", "toegang geweigerd", "te veel verzoeken", "ongebruikelijk verkeer"),
        "consent": ("alles accepteren", "akkoord en doorgaan", "accepteren en doorgaan", "wij en onze partners", "alles weigeren", "cookies accepteren"),
        "paywall": ("word abonnee om verder te lezen", "abonneer je om verder te lezen", "alleen voor abonnees", "dit artikel is alleen beschikbaar voor abonnees", "om verder te lezen"),
        "login": ("log in om verder te lezen", "registreer gratis om verder te lezen", "maak een gratis account aan om verder te lezen"),
        "not_found": ("pagina niet gevonden", "deze pagina bestaat niet", "de pagina die je zoekt bestaat niet", "de pagina die u zoekt bestaat niet", "het artikel is niet meer beschikbaar"),
        "error": ("er is een fout opgetreden", "er ging iets mis", "er is iets misgegaan", "dienst niet beschikbaar", "probeer het later opnieuw"),
        "not_found_title": ("pagina niet gevonden", "fout 404", "pagina bestaat niet"),
        "error_title": ("fout", "er is een fout opgetreden", "er ging iets mis"),
    },
    "pl": {
        "bot": ("potwierdź, że jesteś człowiekiem", "potwierdź, że nie jesteś robotem", "nie jestem robotem", "weryfikacja bezpieczeństwa", "dostęp zabroniony", "dostęp zablokowany", "zbyt wiele żądań", "sprawdzanie przeglądarki", "nietypowy ruch"),
        "consent": ("zaakceptuj wszystko", "akceptuję i przechodzę do serwisu", "przejdź do serwisu", "my i nasi partnerzy", "odrzuć wszystko", "zaakceptuj i zamknij", "akceptuję wszystkie"),
        "paywall": ("tylko dla subskrybentów", "kup subskrypcję, aby czytać dalej", "aby przeczytać cały artykuł", "ten artykuł jest dostępny tylko dla subskrybentów", "pozostała część artykułu jest dostępna dla subskrybentów", "wykup dostęp"),
        "login": ("zaloguj się, aby czytać dalej", "zaloguj się, aby przeczytać cały artykuł"),
        "not_found": ("strona nie została znaleziona", "nie znaleziono strony", "strona nie istnieje", "szukana strona nie istnieje", "artykuł nie jest już dostępny", "nie możemy znaleźć tej strony"),
        "error": ("wystąpił błąd", "coś poszło nie tak", "usługa niedostępna", "spróbuj ponownie później", "wewnętrzny błąd serwera"),
        "not_found_title": ("nie znaleziono strony", "strona nie została znaleziona", "błąd 404", "strona nie istnieje"),
        "error_title": ("błąd", "wystąpił błąd", "coś poszło nie tak"),
    },
    "ru": {
        "bot": ("подтвердите, что вы не робот", "вы не робот", "я не робот", "доступ запрещён", "доступ ограничен", "проверка безопасности", "проверка браузера", "проверяем ваш браузер", "слишком много запросов", "похожи на автоматические", "подозрительный трафик"),
        "consent": ("принять все", "принять и закрыть", "согласиться и продолжить", "мы и наши партнеры", "отклонить все", "принять cookie"),
        "paywall": ("подпишитесь, чтобы продолжить", "продолжение доступно по подписке", "только для подписчиков", "доступно только подписчикам", "оформите подписку, чтобы продолжить чтение", "чтобы прочитать статью полностью", "материал доступен только подписчикам"),
        "login": ("войдите, чтобы продолжить чтение", "авторизуйтесь, чтобы продолжить чтение", "зарегистрируйтесь, чтобы читать дальше"),
        "not_found": ("страница не найдена", "такой страницы не существует", "запрашиваемая страница не найдена", "страница, которую вы ищете, не существует", "материал удалён", "статья удалена", "страница была удалена", "запрашиваемая страница не существует"),
        "error": ("произошла ошибка", "что-то пошло не так", "сервис временно недоступен", "попробуйте позже", "попробуйте зайти позже", "внутренняя ошибка сервера"),
        "not_found_title": ("страница не найдена", "ошибка 404", "такой страницы не существует"),
        "error_title": ("ошибка", "произошла ошибка", "что-то пошло не так"),
    },
    "uk": {
        "bot": ("підтвердіть, що ви не робот", "я не робот", "перевірка безпеки", "доступ заборонено", "забагато запитів", "перевірка браузера", "перевіряємо ваш браузер"),
        "consent": ("прийняти все", "прийняти всі", "погодитися і продовжити", "ми та наші партнери", "відхилити все"),
        "paywall": ("тільки для передплатників", "лише для передплатників", "передплатіть, щоб продовжити", "оформіть передплату, щоб читати далі", "доступно лише передплатникам", "щоб прочитати статтю повністю"),
        "login": ("увійдіть, щоб продовжити читання", "зареєструйтеся, щоб читати далі"),
        "not_found": ("сторінку не знайдено", "сторінка не знайдена", "такої сторінки не існує", "сторінка, яку ви шукаєте, не існує", "матеріал видалено", "статтю видалено"),
        "error": ("сталася помилка", "виникла помилка", "щось пішло не так", "сервіс тимчасово недоступний", "спробуйте пізніше", "внутрішня помилка сервера"),
        "not_found_title": ("сторінку не знайдено", "сторінка не знайдена", "помилка 404", "такої сторінки не існує"),
        "error_title": ("помилка", "сталася помилка", "щось пішло не так"),
    },
    "tr": {
        "bot": ("robot olmadığınızı doğrulayın", "ben robot değilim", "robot değilim", "insan olduğunuzu doğrulayın", "güvenlik kontrolü", "erişim engellendi", "erişim reddedildi", "çok fazla istek", "tarayıcınız kontrol ediliyor"),
        "consent": ("tümünü kabul et", "kabul et ve devam et", "tüm çerezleri kabul et", "çerezleri kabul et", "tümünü reddet", "biz ve iş ortaklarımız"),
        "paywall": ("okumaya devam etmek için abone*", "haberin devamını okumak için abone*", "devamını okumak için abone*", "abonelere özel*"),
        "login": ("okumaya devam etmek için giriş yap*", "devamını okumak için giriş yap*", "devamını okumak için üye ol*"),
        "not_found": ("sayfa bulunamadı", "aradığınız sayfa bulunamadı", "aradığınız sayfaya ulaşılamıyor", "böyle bir sayfa bulunamadı", "haber bulunamadı", "bu haber yayından kaldırıldı", "içerik kaldırıldı", "sayfa mevcut değil"),
        "error": ("bir hata oluştu", "bir sorun oluştu", "bir şeyler ters gitti", "hizmet kullanılamıyor", "daha sonra tekrar deneyin*", "sunucu hatası"),
        "not_found_title": ("sayfa bulunamadı", "aradığınız sayfa bulunamadı", "haber bulunamadı", "hata 404"),
        "error_title": ("hata", "bir hata oluştu", "bir sorun oluştu"),
    },
    "az": {
        "bot": ("robot olmadığınızı təsdiqləyin", "insan olduğunuzu təsdiqləyin", "mən robot deyiləm", "təhlükəsizlik yoxlaması", "giriş qadağandır", "giriş rədd edildi", "həddindən artıq sorğu", "brauzeriniz yoxlanılır"),
        "consent": ("hamısını qəbul et", "hamısını qəbul edin", "qəbul et və davam et", "bütün kukiləri qəbul et", "hamısını rədd et"),
        "paywall": ("yalnız abunəçilər üçün", "oxumağa davam etmək üçün abunə*", "davamını oxumaq üçün abunə*", "abunəçilər üçün əlçatandır"),
        "login": ("oxumağa davam etmək üçün daxil ol*", "davamını oxumaq üçün daxil ol*", "davamını oxumaq üçün qeydiyyatdan keç*"),
        "not_found": ("səhifə tapılmadı", "axtardığınız səhifə tapılmadı", "belə səhifə mövcud deyil", "səhifə mövcud deyil", "xəbər tapılmadı", "xəbər silinib", "material silinib"),
        "error": ("xəta baş verdi", "nəsə səhv getdi", "xidmət müvəqqəti əlçatan deyil", "bir az sonra yenidən cəhd edin", "daha sonra yenidən cəhd edin", "server xətası"),
        "not_found_title": ("səhifə tapılmadı", "xəbər tapılmadı", "xəta 404"),
        "error_title": ("xəta", "xəta baş verdi"),
    },
    "ar": {
        "bot": ("تحقق من أنك لست روبوت", "أنا لست روبوت", "أنا لست برنامج روبوت", "يرجى التحقق من أنك إنسان", "التحقق من الأمان", "فحص أمني", "تم رفض الوصول", "الوصول مرفوض", "طلبات كثيرة جدا", "جار التحقق من متصفحك"),
        "consent": ("قبول الكل", "قبول الجميع", "موافق ومتابعة", "قبول ملفات تعريف الارتباط", "رفض الكل", "نحن وشركاؤنا"),
        "paywall": ("اشترك لمتابعة القراءة", "للمشتركين فقط", "هذا المقال متاح للمشتركين فقط", "اشترك لقراءة المقال كاملا", "لمواصلة القراءة اشترك", "محتوى حصري للمشتركين"),
        "login": ("سجل الدخول لمتابعة القراءة", "سجل الدخول لمواصلة القراءة", "أنشئ حسابا مجانيا لمتابعة القراءة"),
        "not_found": ("الصفحة غير موجودة", "الصفحة المطلوبة غير موجودة", "لم يتم العثور على الصفحة", "الصفحة التي تبحث عنها غير موجودة", "تم حذف هذا المقال", "هذا المحتوى لم يعد متاحا", "الخبر غير موجود"),
        "error": ("حدث خطأ", "حدث خطأ ما", "الخدمة غير متوفرة", "يرجى المحاولة لاحقا", "حاول مرة أخرى لاحقا", "خطأ داخلي في الخادم"),
        "not_found_title": ("الصفحة غير موجودة", "لم يتم العثور على الصفحة", "خطأ 404"),
        "error_title": ("خطأ", "حدث خطأ"),
    },
    "fa": {
        "bot": ("من ربات نیستم", "تأیید کنید که ربات نیستید", "بررسی امنیتی", "دسترسی ممنوع است", "دسترسی غیرمجاز", "درخواست‌های بیش از حد", "در حال بررسی مرورگر شما"),
        "consent": ("پذیرفتن همه", "پذیرش همه", "قبول همه", "موافقم و ادامه", "رد همه"),
        "paywall": ("فقط برای مشترکان", "ویژه مشترکان", "برای ادامه مطالعه مشترک شوید", "برای خواندن ادامه مطلب اشتراک", "این مطلب ویژه مشترکان است"),
        "login": ("برای ادامه مطالعه وارد شوید", "برای مشاهده کامل مطلب وارد شوید", "برای خواندن ادامه مطلب وارد شوید"),
        "not_found": ("صفحه مورد نظر یافت نشد", "صفحه یافت نشد", "صفحه پیدا نشد", "صفحه‌ای که به دنبال آن هستید وجود ندارد", "این صفحه وجود ندارد", "خبر مورد نظر یافت نشد", "این مطلب حذف شده است"),
        "error": ("خطایی رخ داده است", "خطایی رخ داد", "مشکلی پیش آمد", "سرویس در دسترس نیست", "لطفا بعدا دوباره تلاش کنید", "خطای داخلی سرور"),
        "not_found_title": ("صفحه یافت نشد", "صفحه مورد نظر یافت نشد", "صفحه پیدا نشد", "خطای 404"),
        "error_title": ("خطا", "خطایی رخ داده است", "خطایی رخ داد"),
    },
    "ur": {
        "bot": ("میں روبوٹ نہیں ہوں", "تصدیق کریں کہ آپ روبوٹ نہیں ہیں", "سیکیورٹی چیک", "رسائی ممنوع", "رسائی سے انکار", "بہت زیادہ درخواستیں"),
        "consent": ("سب قبول کریں", "تمام کوکیز قبول کریں", "قبول کریں اور جاری رکھیں", "سب مسترد کریں"),
        "paywall": ("صرف سبسکرائبرز کے لیے", "پڑھنا جاری رکھنے کے لیے سبسکرائب کریں", "مکمل خبر پڑھنے کے لیے سبسکرائب"),
        "login": ("پڑھنا جاری رکھنے کے لیے لاگ ان کریں", "مکمل خبر پڑھنے کے لیے لاگ ان"),
        "not_found": ("صفحہ نہیں ملا", "مطلوبہ صفحہ نہیں ملا", "یہ صفحہ موجود نہیں ہے", "صفحہ دستیاب نہیں", "خبر ہٹا دی گئی ہے"),
        "error": ("ایک خرابی پیش آ گئی", "خرابی پیش آگئی", "کچھ غلط ہو گیا", "سروس دستیاب نہیں", "براہ کرم بعد میں دوبارہ کوشش کریں"),
        "not_found_title": ("صفحہ نہیں ملا", "مطلوبہ صفحہ نہیں ملا", "خرابی 404"),
        "error_title": ("خرابی", "ایک خرابی پیش آ گئی", "کچھ غلط ہو گیا"),
    },
    "hi": {
        "bot": ("मैं रोबोट नहीं हूं", "पुष्टि करें कि आप रोबोट नहीं हैं", "सुरक्षा जांच", "पहुंच अस्वीकृत", "एक्सेस अस्वीकृत", "बहुत अधिक अनुरोध", "आपके ब्राउज़र की जांच की जा रही है"),
        "consent": ("सभी स्वीकार करें", "सभी कुकीज़ स्वीकार करें", "स्वीकार करें और जारी रखें", "सभी अस्वीकार करें"),
        "paywall": ("केवल सब्सक्राइबर्स के लिए", "सिर्फ सब्सक्राइबर्स के लिए", "पढ़ना जारी रखने के लिए सब्सक्राइब करें", "पूरी खबर पढ़ने के लिए सब्सक्राइब करें", "यह लेख केवल ग्राहकों के लिए है"),
        "login": ("पढ़ना जारी रखने के लिए लॉगिन करें", "पूरी खबर पढ़ने के लिए लॉगिन करें", "आगे पढ़ने के लिए लॉग इन करें"),
        "not_found": ("पेज नहीं मिला", "पृष्ठ नहीं मिला", "यह पेज मौजूद नहीं है", "आप जिस पेज को खोज रहे हैं वह मौजूद नहीं है", "खबर हटा दी गई है", "पेज उपलब्ध नहीं है"),
        "error": ("कुछ गलत हो गया", "एक त्रुटि हुई", "त्रुटि हुई है", "सेवा उपलब्ध नहीं है", "कृपया बाद में पुनः प्रयास करें", "कृपया बाद में फिर से प्रयास करें"),
        "not_found_title": ("पेज नहीं मिला", "पृष्ठ नहीं मिला", "त्रुटि 404"),
        "error_title": ("त्रुटि", "कुछ गलत हो गया"),
    },
    "bn": {
        "bot": ("আমি রোবট নই", "নিশ্চিত করুন যে আপনি রোবট নন", "নিরাপত্তা যাচাই", "প্রবেশাধিকার নেই", "অ্যাক্সেস অস্বীকার করা হয়েছে", "অনেক বেশি অনুরোধ", "আপনার ব্রাউজার যাচাই করা হচ্ছে"),
        "consent": ("সব গ্রহণ করুন", "সবগুলো গ্রহণ করুন", "সব কুকি গ্রহণ করুন", "সম্মত ও চালিয়ে যান", "সব প্রত্যাখ্যান করুন"),
        "paywall": ("শুধু গ্রাহকদের জন্য", "কেবল গ্রাহকদের জন্য", "পড়া চালিয়ে যেতে সাবস্ক্রাইব করুন", "পুরো খবর পড়তে সাবস্ক্রাইব করুন"),
        "login": ("পড়া চালিয়ে যেতে লগইন করুন", "পুরো খবর পড়তে লগইন করুন"),
        "not_found": ("পৃষ্ঠাটি পাওয়া যায়নি", "পেজটি পাওয়া যায়নি", "পাতাটি খুঁজে পাওয়া যায়নি", "পৃষ্ঠা খুঁজে পাওয়া যায়নি", "এই পৃষ্ঠাটি নেই", "খবরটি সরিয়ে ফেলা হয়েছে"),
        "error": ("একটি ত্রুটি ঘটেছে", "কিছু ভুল হয়েছে", "পরিষেবা উপলব্ধ নেই", "অনুগ্রহ করে পরে আবার চেষ্টা করুন", "পরে আবার চেষ্টা করুন"),
        "not_found_title": ("পৃষ্ঠাটি পাওয়া যায়নি", "পেজটি পাওয়া যায়নি", "ত্রুটি 404"),
        "error_title": ("ত্রুটি", "একটি ত্রুটি ঘটেছে", "কিছু ভুল হয়েছে"),
    },
    "id": {
        "bot": ("verifikasi bahwa anda manusia", "buktikan bahwa anda bukan robot", "saya bukan robot", "pemeriksaan keamanan", "akses ditolak", "terlalu banyak permintaan", "memeriksa browser anda"),
        "consent": ("terima semua", "setuju dan lanjutkan", "terima dan lanjutkan", "tolak semua", "kami dan mitra kami"),
        "paywall": ("berlangganan untuk melanjutkan membaca", "berlangganan untuk membaca", "artikel ini khusus untuk pelanggan", "konten khusus pelanggan", "untuk membaca artikel selengkapnya"),
        "login": ("masuk untuk melanjutkan membaca", "login untuk melanjutkan membaca", "daftar gratis untuk membaca"),
        "not_found": ("halaman tidak ditemukan", "halaman yang anda cari tidak ditemukan", "halaman yang anda cari tidak tersedia", "artikel tidak ditemukan", "berita tidak ditemukan", "artikel ini telah dihapus"),
        "error": ("terjadi kesalahan", "ada yang salah", "layanan tidak tersedia", "silakan coba lagi nanti", "kesalahan server internal"),
        "not_found_title": ("halaman tidak ditemukan", "artikel tidak ditemukan", "berita tidak ditemukan"),
        "error_title": ("kesalahan", "terjadi kesalahan"),
    },
    "vi": {
        "bot": ("xác minh bạn là con người", "tôi không phải là người máy", "tôi không phải robot", "kiểm tra bảo mật", "truy cập bị từ chối", "quá nhiều yêu cầu", "đang kiểm tra trình duyệt của bạn"),
        "consent": ("chấp nhận tất cả", "đồng ý và tiếp tục", "từ chối tất cả", "chấp nhận cookie"),
        "paywall": ("đăng ký để đọc tiếp", "nội dung dành cho thuê bao", "bài viết dành cho độc giả trả phí", "mua gói để đọc tiếp", "nội dung dành riêng cho hội viên"),
        "login": ("đăng nhập để đọc tiếp", "đăng nhập để tiếp tục đọc", "đăng nhập để xem toàn bộ bài viết"),
        "not_found": ("không tìm thấy trang", "trang không tồn tại", "trang bạn tìm kiếm không tồn tại", "không tìm thấy bài viết", "bài viết không tồn tại", "bài viết đã bị xóa", "nội dung không còn tồn tại"),
        "error": ("đã xảy ra lỗi", "có lỗi xảy ra", "đã có lỗi xảy ra", "dịch vụ không khả dụng", "vui lòng thử lại sau", "lỗi máy chủ nội bộ"),
        # not "lỗi" alone: folded it is "loi", the start of "lời" (a word) too
        "not_found_title": ("không tìm thấy trang", "trang không tồn tại", "lỗi 404", "không tìm thấy bài viết"),
        "error_title": ("đã xảy ra lỗi", "có lỗi xảy ra", "đã có lỗi xảy ra"),
    },
    "ja": {
        "bot": ("ロボットではありません", "ロボットではないことを確認", "あなたはロボットですか", "人間であることを確認", "セキュリティチェック", "アクセスが拒否されました", "アクセスは拒否されました", "リクエストが多すぎます", "ブラウザを確認しています", "javascriptを有効にしてください", "cookieを有効にしてください"),
        "consent": ("すべて同意", "すべて許可", "すべて受け入れる", "同意して続行", "同意して閉じる", "すべて拒否", "cookieの使用に同意", "クッキーの使用に同意"),
        "paywall": ("この記事は有料会員限定です", "有料会員限定", "有料会員になると続きを読むことができます", "この記事は会員限定です", "続きを読むには", "この記事の続きは"),
        "login": ("ログインして続きを読む", "続きを読むにはログイン", "無料会員登録で続きを読む", "会員登録して続きを読む"),
        "not_found": ("ページが見つかりません", "お探しのページは見つかりませんでした", "お探しのページが見つかりません", "指定されたページは存在しません", "このページは存在しません", "この記事は削除されました", "記事は削除されました", "掲載期間が終了しました", "記事の掲載は終了しました"),
        "error": ("エラーが発生しました", "問題が発生しました", "サービスを利用できません", "しばらくしてから再度お試しください", "しばらく時間をおいて", "一時的にアクセスできません", "アクセスが集中しています", "サーバーエラー"),
        "not_found_title": ("ページが見つかりません", "お探しのページは見つかりませんでした", "お探しのページが見つかりません", "ページが存在しません"),
        "error_title": ("エラー", "システムエラー", "サーバーエラー"),
    },
    "zh": {
        "bot": ("请证明你不是机器人", "我不是机器人", "安全验证", "人机验证", "访问被拒绝", "拒绝访问", "请求过于频繁", "访问过于频繁", "正在检查您的浏览器", "请完成安全验证", "检测到异常流量", "请启用javascript", "请开启javascript"),
        "consent": ("全部接受", "接受所有", "同意并继续", "接受全部cookie", "全部拒绝"),
        "paywall": ("订阅后阅读全文", "订阅以继续阅读", "此文章仅限订阅用户", "仅限订阅者", "本文为付费内容", "购买后阅读全文", "开通会员阅读全文", "付费阅读全文"),
        "login": ("登录后阅读全文", "登录后查看全文", "请登录后继续阅读", "注册后阅读全文"),
        "not_found": ("页面不存在", "页面未找到", "找不到页面", "您访问的页面不存在", "您要访问的页面不存在", "该文章已被删除", "文章已删除", "内容已被删除", "该内容已下线", "页面找不到了"),
        "error": ("出错了", "发生错误", "服务器错误", "服务不可用", "请稍后再试", "请稍后重试", "系统繁忙"),
        "not_found_title": ("页面不存在", "页面未找到", "找不到页面", "页面找不到了"),
        "error_title": ("出错了", "错误", "系统错误", "服务器错误"),
    },
    "zh-Hant": {
        "bot": ("請證明你不是機器人", "我不是機器人", "安全驗證", "人機驗證", "存取遭拒", "拒絕存取", "拒絕訪問", "請求過於頻繁", "正在檢查您的瀏覽器", "請完成安全驗證", "偵測到異常流量"),
        "consent": ("全部接受", "接受全部", "同意並繼續", "接受所有cookie", "全部拒絕"),
        "paywall": ("訂閱後閱讀全文", "訂閱以繼續閱讀", "此文章僅限訂閱用戶", "付費會員專屬", "會員專屬文章", "訂戶專屬", "本文為付費內容", "訂閱即可閱讀全文"),
        "login": ("登入後閱讀全文", "請登入以繼續閱讀", "登入會員繼續閱讀", "註冊後閱讀全文"),
        "not_found": ("頁面不存在", "找不到頁面", "找不到網頁", "您要找的頁面不存在", "您所要求的網頁不存在", "該文章已被刪除", "文章已下架", "此新聞已下架", "網頁不存在", "找不到此頁面"),
        "error": ("發生錯誤", "出錯了", "伺服器錯誤", "服務無法使用", "請稍後再試", "系統忙碌中"),
        "not_found_title": ("頁面不存在", "找不到頁面", "找不到網頁", "網頁不存在"),
        "error_title": ("錯誤", "發生錯誤", "系統錯誤", "伺服器錯誤"),
    },
    "ko": {
        "bot": ("로봇이 아닙니다", "로봇이 아님을 확인", "사람인지 확인", "보안 확인", "자동입력 방지", "접근이 거부되었습니다", "액세스가 거부되었습니다", "요청이 너무 많습니다", "브라우저를 확인하고 있습니다"),
        "consent": ("모두 동의", "모두 수락", "전체 동의", "동의하고 계속", "모두 거부"),
        "paywall": ("구독자 전용", "유료 회원 전용", "이 기사는 유료 회원", "구독하고 계속 읽기", "구독하시면 전체 기사를", "유료 구독자만"),
        # not "로그인 후 이용": a comment box says it beside every article
        "login": ("로그인하고 계속 읽기", "로그인 후 기사 전문", "로그인하시면 기사 전문을", "로그인 후 전체 기사"),
        "not_found": ("페이지를 찾을 수 없습니다", "요청하신 페이지를 찾을 수 없습니다", "존재하지 않는 페이지", "페이지가 존재하지 않습니다", "기사가 삭제되었습니다", "삭제된 기사", "해당 기사를 찾을 수 없습니다", "존재하지 않는 기사"),
        "error": ("오류가 발생했습니다", "오류가 발생하였습니다", "문제가 발생했습니다", "서비스를 이용할 수 없습니다", "잠시 후 다시 시도해 주세요", "잠시 후 다시 시도해주세요", "서버 오류"),
        "not_found_title": ("페이지를 찾을 수 없습니다", "페이지를 찾을 수 없음", "존재하지 않는 페이지"),
        "error_title": ("오류", "에러", "오류가 발생했습니다"),
    },
    "th": {
        "bot": ("ฉันไม่ใช่โปรแกรมอัตโนมัติ", "ฉันไม่ใช่หุ่นยนต์", "ยืนยันว่าคุณไม่ใช่หุ่นยนต์", "ยืนยันว่าคุณเป็นมนุษย์", "การตรวจสอบความปลอดภัย", "ปฏิเสธการเข้าถึง", "การเข้าถึงถูกปฏิเสธ", "คำขอมากเกินไป", "กำลังตรวจสอบเบราว์เซอร์ของคุณ"),
        "consent": ("ยอมรับทั้งหมด", "ยอมรับคุกกี้ทั้งหมด", "ยอมรับและดำเนินการต่อ", "ปฏิเสธทั้งหมด"),
        "paywall": ("บทความนี้สำหรับสมาชิก", "สำหรับสมาชิกเท่านั้น", "สมัครสมาชิกเพื่ออ่านต่อ", "สมัครสมาชิกเพื่ออ่านบทความฉบับเต็ม", "อ่านต่อสำหรับสมาชิก"),
        "login": ("เข้าสู่ระบบเพื่ออ่านต่อ", "กรุณาเข้าสู่ระบบเพื่ออ่าน", "ลงทะเบียนเพื่ออ่านต่อ"),
        "not_found": ("ไม่พบหน้าที่คุณต้องการ", "ไม่พบหน้านี้", "ไม่พบหน้าเว็บ", "ไม่พบบทความ", "ไม่พบเนื้อหาที่คุณต้องการ", "หน้านี้ไม่มีอยู่", "บทความนี้ถูกลบแล้ว", "ข่าวนี้ถูกลบแล้ว"),
        "error": ("เกิดข้อผิดพลาด", "ระบบขัดข้อง", "ไม่สามารถให้บริการได้", "กรุณาลองใหม่อีกครั้ง", "โปรดลองอีกครั้งในภายหลัง", "ข้อผิดพลาดของเซิร์ฟเวอร์"),
        "not_found_title": ("ไม่พบหน้า", "ไม่พบหน้าเว็บ", "ไม่พบบทความ"),
        "error_title": ("เกิดข้อผิดพลาด", "ข้อผิดพลาด"),
    },
}  # fmt: skip


def phrases(family: str, languages: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """A family's phrases in the given languages (all when None), as written, each once, in order."""
    if family not in FAMILIES:
        raise KeyError(family)
    seen: dict[str, None] = {}
    for language, families in LEXICON.items():
        if languages is None or language in languages:
            seen.update(dict.fromkeys(families.get(family, ())))
    return tuple(seen)
